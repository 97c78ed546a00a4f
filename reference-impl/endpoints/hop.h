/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-hop request processing of draft-ietf-core-oscore-capable-proxies 2.4,
 * shared by the proxy and
 * the server: both remove the layers addressed to them, then either
 * forward (a proxy) or answer from a local resource. Returns the process
 * exit status.
 */
#ifndef OSCORE_ENDPOINTS_HOP_H
#define OSCORE_ENDPOINTS_HOP_H

#include <stdbool.h>

/* program: "oscore-proxy" or "oscore-server" (for usage messages);
 * want_proxy: whether the node named on the command line must be a
 * proxy (true) or the server (false). */
int hop_main(int argc, char **argv, const char *program, bool want_proxy);

#endif
