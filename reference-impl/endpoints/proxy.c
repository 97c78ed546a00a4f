/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oscore-proxy: a forward or reverse CoAP proxy that is also an OSCORE
 * endpoint (draft-ietf-core-oscore-capable-proxies). The scenario's role
 * of the node selects the mode.
 *
 * Usage: oscore-proxy SCENARIO NODE [READY_FILE]
 */
#include "hop.h"

int main(int argc, char **argv)
{
    return hop_main(argc, argv, "oscore-proxy", true);
}
