"""The grader's parts (``backprop-lessons grade`` is :mod:`backprop_lessons.tools.grader`).

    submission  read a notebook (bytes kept in memory), recognise its lesson, read its cells
                without running them (which cell binds each function, imports of the answer)
    codec       learner outputs as plain JSON data and back (no pickle, no learner objects)
    worker      the script a sandboxed subprocess runs: the notebook's cells, then each
                exercise's function on the cases; it writes plain data only
    sandbox     how a worker is started (bubblewrap when available), limited and cleaned up
    judging     the verdict, in the grader's own process, from the decoded outcomes
    reports     streamed CSV / JSON lines, class summary (text, figure), Gradescope JSON

Importing this package imports nothing else, so the worker can use :mod:`.codec` cheaply.
"""
