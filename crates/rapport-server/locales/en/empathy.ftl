# empathy (en)
