"""Product catalog tasks: exports, images and prices."""
