//! A6. Empathy maps per touchpoint: says, thinks, does, feels, pains and gains, each entry able to cite evidence.
