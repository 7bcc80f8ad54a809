# nav (es)
