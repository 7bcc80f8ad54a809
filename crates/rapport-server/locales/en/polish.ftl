# polish (en)
