# Recognition (E. People)
nav-recognition = Recognition
