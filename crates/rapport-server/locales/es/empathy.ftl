# empathy (es)
