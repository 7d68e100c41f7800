" Headless checks of editors/vim, run by vim_test.sh as:
"   vim -Nu NONE -i NONE -es -c 'let g:egress_root = "..." | let g:egress_log = "..."' -S vim_test.vim
" Each check adds one line `ok <what>` or `FAIL <what>: <why>` to g:egress_log; Vim exits 1 if any failed.

let s:root = g:egress_root
let s:fixtures = s:root . '/tests/editors/fixtures/vim'
let s:lines = []
let s:passed = 0
let s:failed = 0

function! s:Check(ok, what, why) abort
  if a:ok
    let s:passed += 1
    call add(s:lines, 'ok ' . a:what)
  else
    let s:failed += 1
    call add(s:lines, 'FAIL ' . a:what . ': ' . a:why)
  endif
endfunction

function! s:Finish() abort
  call add(s:lines, printf('vim: %d passed, %d failed', s:passed, s:failed))
  call writefile(s:lines, g:egress_log)
  if s:failed > 0
    cquit 1
  endif
  qall!
endfunction

try
  let &runtimepath = s:root . '/editors/vim,' . &runtimepath . ',' . s:root . '/editors/vim/after'
  filetype plugin indent on
  syntax on

  " ---- filetype detection, syntax, ftplugin, indent plugin
  execute 'edit ' . fnameescape(s:fixtures . '/syntax.egress')
  call s:Check(&filetype ==# 'egress', 'ftdetect sets filetype=egress', 'filetype is "' . &filetype . '"')
  call s:Check(get(b:, 'current_syntax', '') ==# 'egress', 'syntax/egress.vim is loaded',
        \ 'b:current_syntax is "' . get(b:, 'current_syntax', '') . '"')
  call s:Check(&l:commentstring ==# '// %s', 'ftplugin commentstring', '"' . &l:commentstring . '"')
  call s:Check(&l:comments ==# '://', 'ftplugin comments', '"' . &l:comments . '"')
  call s:Check(index(split(&l:matchpairs, ','), '<:>') >= 0, 'ftplugin matchpairs has <:>', '"' . &l:matchpairs . '"')
  call s:Check(&l:expandtab && &l:shiftwidth == 2 && &l:softtabstop == 2, 'ftplugin indents with 2 spaces',
        \ printf('expandtab=%d shiftwidth=%d softtabstop=%d', &l:expandtab, &l:shiftwidth, &l:softtabstop))
  call s:Check(&l:indentexpr =~# '^EgressIndent(', 'indent/egress.vim sets indentexpr', '"' . &l:indentexpr . '"')
  call s:Check(exists('b:undo_ftplugin') && exists('b:undo_indent'), 'b:undo_ftplugin and b:undo_indent are set', 'missing')

  " ---- syntax groups at annotated columns
  " An assertion line is `//` then `^` marks or `<-` (from column 1; `~` skips a column), then a group, or
  " `- group` for a group that must not be there. It applies to the last line above it that is not one.
  let s:assert_up = '^//\(\s*\)\(\^\+\)\s\+\(-\s\+\)\=\(\w\+\)\s*$'
  let s:assert_left = '^//\s*<\(\~*\)\(-\+\)\s\+\(-\s\+\)\=\(\w\+\)\s*$'
  let s:source = 0
  let s:assertions = 0
  for s:lnum in range(2, line('$'))
    let s:text = getline(s:lnum)
    let s:m = matchlist(s:text, s:assert_up)
    if !empty(s:m)
      let s:from = 2 + len(s:m[1]) + 1
      let s:to = s:from + len(s:m[2]) - 1
    else
      let s:m = matchlist(s:text, s:assert_left)
      if empty(s:m)
        let s:source = s:lnum
        continue
      endif
      let s:from = len(s:m[1]) + 1
      let s:to = s:from + len(s:m[2]) - 1
    endif
    let s:negate = !empty(s:m[3])
    let s:want = s:m[4]
    let s:assertions += 1
    let s:bad = []
    for s:col in range(s:from, s:to)
      let s:got = synIDattr(synID(s:source, s:col, 1), 'name')
      if (s:got ==# s:want) == s:negate
        call add(s:bad, printf('col %d is "%s"', s:col, s:got))
      endif
    endfor
    let s:token = strpart(getline(s:source), s:from - 1, s:to - s:from + 1)
    call s:Check(empty(s:bad), printf('syntax.egress:%d "%s" %s%s', s:source, s:token, s:negate ? 'not ' : '', s:want),
          \ join(s:bad, ', '))
  endfor
  call s:Check(s:assertions >= 100, 'syntax.egress has at least 100 assertions', s:assertions . ' found')

  " ---- folding: a `< >` block spanning lines is a syntax fold
  setlocal foldmethod=syntax
  normal! zM
  let s:vnet = search('^vnet vnet', 'nw')
  let s:close = s:vnet + 1
  while s:close < line('$') && getline(s:close) !~# '^>'
    let s:close += 1
  endwhile
  call s:Check(foldclosed(s:vnet + 1) == s:vnet && foldclosedend(s:vnet) == s:close, 'a multi-line block is a fold',
        \ printf('fold %d-%d, want %d-%d', foldclosed(s:vnet + 1), foldclosedend(s:vnet), s:vnet, s:close))
  setlocal foldmethod=manual

  " ---- indentation: re-indenting the well-indented fixture changes nothing
  execute 'edit ' . fnameescape(s:fixtures . '/indent.egress')
  let s:want_lines = getline(1, '$')
  silent %s/^\s\+//e
  silent normal! gg=G
  let s:diff = []
  for s:i in range(len(s:want_lines))
    if getline(s:i + 1) !=# s:want_lines[s:i]
      call add(s:diff, printf('line %d: "%s" (want "%s")', s:i + 1, getline(s:i + 1), s:want_lines[s:i]))
    endif
  endfor
  call s:Check(empty(s:diff), 'indent.egress re-indents to itself', join(s:diff[:4], '; '))

  " ---- typing: a new line after `<` is indented, a `>` typed at its start goes back
  enew!
  setfiletype egress
  silent execute "normal! ifirewall fw <\<CR>dns_proxy on\<CR>>\<Esc>"
  call s:Check(getline(1, '$') ==# ['firewall fw <', '  dns_proxy on', '>'], 'typing indents and dedents',
        \ string(getline(1, '$')))
  bwipeout!

  " ---- :EgressFormat runs `egressc fmt -`, and keeps the buffer when the formatter fails
  let g:egress_egressc = s:root . '/tests/editors/support/fake-egressc-fmt.sh'
  enew!
  setfiletype egress
  call setline(1, ['vnet v "v" 10.0.0.0/8 <   ', "\tsubnet s 10.0.0.0/16", '>'])
  EgressFormat
  call s:Check(getline(1, '$') ==# ['vnet v "v" 10.0.0.0/8 <', '  subnet s 10.0.0.0/16', '>'], ':EgressFormat formats the buffer',
        \ string(getline(1, '$')))
  silent %delete _
  call setline(1, ['vnet FAIL <', '>'])
  silent! EgressFormat
  call s:Check(getline(1, '$') ==# ['vnet FAIL <', '>'], ':EgressFormat keeps the buffer when egressc fails',
        \ string(getline(1, '$')))
  bwipeout!
catch
  call s:Check(0, 'the test script ran', v:exception . ' at ' . v:throwpoint)
endtry

call s:Finish()
