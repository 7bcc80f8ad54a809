# Recognition (E. People)
nav-recognition = Reconocimiento
