#!/bin/sh
# A stand-in for `egressc fmt -` in vim_test.vim: drops trailing blanks and turns tabs into two spaces;
# fails, as a formatter does on a syntax error, when the input contains the word FAIL.
if [ "$1" != fmt ] || [ "$2" != - ]; then
  echo "usage: egressc fmt -" >&2
  exit 2
fi
input=$(cat)
case "$input" in
  *FAIL*) echo "<stdin>:1:1: error E0001: cannot format"; exit 1 ;;
esac
printf '%s\n' "$input" | sed 's/[[:space:]]*$//; s/\t/  /g'
