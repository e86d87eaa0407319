"""Oracle probe: image selection and templating with a digest default and a port registry."""
