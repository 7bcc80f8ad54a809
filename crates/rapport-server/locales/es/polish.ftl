# polish (es)
