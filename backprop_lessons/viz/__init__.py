"""Presentation: the course's themes (:mod:`.theme`), its committed figures
(:mod:`.figures`) and the plots a lesson draws on demand (:mod:`.plots`).

matplotlib is imported by :mod:`.figures` and when a plot is drawn, never by
``import backprop_lessons``.
"""
