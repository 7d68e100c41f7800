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

" :EgressFormat formats the buffer with `egressc fmt -` (g:egress_egressc names the executable, default
" "egressc"). The buffer is replaced only when the formatter succeeds; otherwise its message is shown.
" To format on save:  autocmd BufWritePre *.egress EgressFormat
command! -buffer -bar EgressFormat call s:Format()

function! s:Format() abort
  let exe = get(g:, 'egress_egressc', 'egressc')
  if !executable(exe)
    echohl WarningMsg | echomsg 'EgressFormat: ' . exe . ' not found (set g:egress_egressc)' | echohl None
    return
  endif
  let lines = getline(1, '$')
  let formatted = systemlist(shellescape(exe) . ' fmt -', lines)
  if v:shell_error != 0
    echohl ErrorMsg | echomsg 'EgressFormat: ' . join(formatted, ' | ') | echohl None
    return
  endif
  if formatted ==# lines
    return
  endif
  let view = winsaveview()
  silent keepjumps call setline(1, formatted)
  if line('$') > len(formatted)
    silent keepjumps execute (len(formatted) + 1) . ',$delete _'
  endif
  call winrestview(view)
endfunction

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< expandtab< shiftwidth< softtabstop<'
      \ . ' matchpairs< iskeyword< suffixesadd< | unlet! b:match_words | silent! delcommand -buffer EgressFormat'

let &cpo = s:cpo_save
unlet s:cpo_save
