# Empty dependencies file for tscore.
# This may be replaced when dependencies are built.
