"""offstage: docassemble-style guided interviews running serverless on AWS."""

__version__ = "0.1.0"
