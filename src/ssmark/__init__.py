"""ssmark: the Internet Connection Service Safe/Secure Mark, end to end."""

__version__ = "0.1.0"
