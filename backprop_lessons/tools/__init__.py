"""Tools on top of the course, imported by nothing in the package: building and running the
lesson notebooks (:mod:`.authoring`), grading submissions (:mod:`.grader`) and the
``backprop-lessons`` command (:mod:`.cli`)."""
