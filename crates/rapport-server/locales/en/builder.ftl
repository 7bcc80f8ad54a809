# The survey builder: fields of each question type.
