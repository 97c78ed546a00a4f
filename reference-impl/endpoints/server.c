/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oscore-server: an origin server with a plain resource (/alarm_status),
 * an observable one (/observe), a large one (/large, Block2), one taking a
 * large POST (/upload, Block1), /echo, and /unknown-option (for the 5.02
 * test); see pcaps/README.md.
 *
 * Usage: oscore-server SCENARIO NODE [READY_FILE]
 */
#include "hop.h"

int main(int argc, char **argv)
{
    return hop_main(argc, argv, "oscore-server", false);
}
