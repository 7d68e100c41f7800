" Vim indent file
" Language:    egress (.egress)
" Maintainer:  the egress authors
" One level more after a line that opens a `<` block, one less on a line that starts with `>`.

if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal autoindent nolisp nosmartindent
setlocal indentexpr=EgressIndent(v:lnum)
setlocal indentkeys=0>,o,O,!^F
let b:undo_indent = 'setlocal autoindent< lisp< smartindent< indentexpr< indentkeys<'

if exists('*EgressIndent')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

" The line without its strings and its comment: `<`, `>` and `//` inside them do not count.
function! s:Code(line) abort
  let line = substitute(a:line, '"\%([^"\\]\|\\.\)*"', '""', 'g')
  return substitute(line, '//.*$', '', '')
endfunction

function! EgressIndent(lnum) abort
  let prev = prevnonblank(a:lnum - 1)
  if prev == 0
    return 0
  endif
  let code = s:Code(getline(prev))
  " Blocks opened minus blocks closed on the previous line; a leading `>` already moved that line left.
  let opens = len(substitute(code, '[^<]', '', 'g'))
  let closes = len(substitute(substitute(code, '->', '', 'g'), '[^>]', '', 'g'))
  if code =~ '^\s*>'
    let closes -= 1
  endif
  let ind = indent(prev) + (opens - closes) * shiftwidth()
  if getline(a:lnum) =~ '^\s*>'
    let ind -= shiftwidth()
  endif
  return max([ind, 0])
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
