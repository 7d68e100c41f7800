-- Run by nvim_test.sh inside headless Neovim, with the documented setup loaded and main.egress (the article
-- plus a stray subnet outside its VNet) in the current buffer. Writes one line per check to g:egress_log.
local results, passed, failed = {}, 0, 0
local function check(ok, what)
  if ok then
    passed = passed + 1
    table.insert(results, 'PASS ' .. what)
  else
    failed = failed + 1
    table.insert(results, 'FAIL ' .. what)
  end
end

local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == 'egress', 'the filetype is egress (editors/vim/ftdetect), got ' .. vim.bo[buf].filetype)
check(vim.bo[buf].commentstring == '// %s', 'the ftplugin sets commentstring')

local attached = vim.wait(20000, function() return #vim.lsp.buf_get_clients(buf) > 0 end, 50)
check(attached, 'the documented setup attaches egressc lsp to the buffer')

local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
check(got, 'the server publishes diagnostics')
local stray
for _, d in ipairs(vim.diagnostic.get(buf)) do
  if d.message:find('10.99.0.0/24', 1, true) then stray = d end
end
check(stray ~= nil, 'the stray subnet is reported')
if stray then
  check(stray.severity == vim.diagnostic.severity.ERROR, 'as an error')
  check(stray.code == 'E0201', 'with its code E0201, got ' .. tostring(stray.code))
  local line = vim.api.nvim_buf_get_lines(buf, stray.lnum, stray.lnum + 1, false)[1] or ''
  check(line:find('subnet stray', 1, true) ~= nil, 'on the subnet\'s line: ' .. line)
end

-- Hover on the cluster's subnet reference.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row, col
for i, l in ipairs(lines) do
  local c = l:find('in vnet.aks', 1, true)
  if c and l:find('^cluster') then row, col = i - 1, c + 3 end
end
check(row ~= nil, 'the article has `cluster ... in vnet.aks`')
if row then
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = row, character = col } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000) or {}
  local text = ''
  for _, r in pairs(responses) do
    if r.result and r.result.contents then text = text .. (r.result.contents.value or '') end
  end
  check(text:find('subnet', 1, true) ~= nil and text:find('10.42.1.0/24', 1, true) ~= nil,
        'hover on vnet.aks describes the subnet')
end

-- Definition of the cluster's subnet reference: the `subnet aks` line.
if row then
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = row, character = col } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/definition', params, 10000) or {}
  local target
  for _, r in pairs(responses) do
    local loc = r.result and (r.result[1] or r.result)
    if loc and loc.range then target = loc.range.start.line end
  end
  local declared
  for i, l in ipairs(lines) do
    if l:find('^%s*subnet aks ') then declared = i - 1 end
  end
  check(target ~= nil and target == declared, 'definition of vnet.aks is the `subnet aks` line')
end

-- Formatting through the server: the stray block's indentation is fixed.
vim.lsp.buf.formatting_sync(nil, 10000)
local formatted = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
check(formatted:find('\n  subnet stray 10.99.0.0/24\n', 1, true) ~= nil, 'formatting through the server re-indents the block')

table.insert(results, string.format('nvim: %d passed, %d failed', passed, failed))
vim.fn.writefile(results, vim.g.egress_log)
vim.cmd('qa!')
