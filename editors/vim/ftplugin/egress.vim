" Vim filetype plugin
" Language:    egress (.egress)
" Maintainer:  the egress authors

if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1
let s:cpo_save = &cpo
set cpo&vim

" `//` comments (gc, gq, and continuing a comment on the next line)
setlocal commentstring=//\ %s
setlocal comments=://
setlocal formatoptions-=t formatoptions+=croql

" Two spaces a level, as in the examples and as `egressc fmt` writes
setlocal expandtab shiftwidth=2 softtabstop=2

" Blocks are `< >`: `%` jumps between them (matchit, when loaded, skips the `>` of `->`)
setlocal matchpairs+=<:>
let b:match_words = '-\@<!<:-\@<!>'

" Names such as `store-front` are one word for `w`, `*` and completion; `gf` on `import aks` finds aks.egress
setlocal iskeyword+=-
setlocal suffixesadd=.egress

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< expandtab< shiftwidth< softtabstop<'
      \ . ' matchpairs< iskeyword< suffixesadd< | unlet! b:match_words'

let &cpo = s:cpo_save
unlet s:cpo_save
