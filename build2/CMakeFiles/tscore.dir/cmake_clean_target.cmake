file(REMOVE_RECURSE
  "libtscore.a"
)
