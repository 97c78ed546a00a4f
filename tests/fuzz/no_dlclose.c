/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Preloaded into tshark by the sanitized plugin tests (plugin.asan.*),
 * after the sanitizer runtimes: dlclose does nothing, so the plugin is
 * still mapped when LeakSanitizer reports at exit and the frames of a
 * leak in it are named (file and line) instead of "<unknown module>";
 * tshark unloads its plugins before it exits.
 */
int dlclose(void *handle);

int dlclose(void *handle)
{
    (void)handle;
    return 0;
}
