# Training (E. People)
nav-training = Formación
