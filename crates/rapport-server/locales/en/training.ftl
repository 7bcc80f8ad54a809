# Training (E. People)
nav-training = Training
