"""The bundled seed articles (data only): installed as ``showbot_seeds`` so they are found after ``pip install .``."""
