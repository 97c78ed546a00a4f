-- SPDX-License-Identifier: GPL-2.0-or-later
--
-- Loaded into the Wireshark GUI by tests/check_gui.sh (-X lua_script:).
-- A Lua postdissector runs after the plugin's (Lua scripts register after
-- the C plugins), so its field extractors see the values the plugin put
-- into the very tree the GUI displays. Each dissection of a frame with
-- the plugin's protocol appends one line to $OSCORE_GUI_PROBE_OUT:
--   frame=N count=C removed=R contexts=a,b,c statuses=s1,s2,s3
-- The test compares these lines with what it expects; a line per pass
-- is fine (the GUI dissects the selected frame again to show it).

local out_path = os.getenv("OSCORE_GUI_PROBE_OUT")
local f_count = Field.new("oscore_layers.count")
local f_removed = Field.new("oscore_layers.removed")
local f_context = Field.new("oscore_layers.layer.context")
local f_status = Field.new("oscore_layers.layer.status")

-- All values of a field in this packet, as text, joined with commas.
local function values(field)
    local list = {}
    for _, fi in ipairs({ field() }) do
        list[#list + 1] = tostring(fi.value)
    end
    return table.concat(list, ",")
end

local probe = Proto("oscore_gui_probe", "OSCORE layers GUI test probe")

function probe.dissector(_, pinfo, _)
    local count = f_count()
    if count == nil or out_path == nil then
        return
    end
    local removed = f_removed()
    local out = assert(io.open(out_path, "a"))
    out:write(string.format("frame=%d count=%s removed=%s contexts=%s statuses=%s\n",
        pinfo.number, tostring(count.value),
        removed and tostring(removed.value) or "",
        values(f_context), values(f_status)))
    out:close()
end

register_postdissector(probe)
