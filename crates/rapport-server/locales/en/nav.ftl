# nav (en)
