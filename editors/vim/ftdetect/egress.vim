" egress source files
autocmd BufRead,BufNewFile *.egress setfiletype egress
