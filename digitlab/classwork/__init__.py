"""A class's own digits: a class model fine-tuned on the drawings a class shared, measured by student.

- ``class_model``: students held out (writer-independent), before and after, overall and per
  student; the class model itself.
"""
