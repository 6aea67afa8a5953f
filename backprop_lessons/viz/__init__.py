"""Presentation: the course's themes (:mod:`.theme`), its committed figures
(:mod:`.figures`), the plots a lesson draws on demand (:mod:`.plots`), and the pictures
of lessons 04, 05 and 10 (:mod:`.shapes`: a batch's shapes layer by layer; :mod:`.delta`:
the error signals of a batch; :mod:`.digits`: handwritten digits).

matplotlib is imported by :mod:`.figures` and when a plot is drawn, never by
``import backprop_lessons``.
"""
