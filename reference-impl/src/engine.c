/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Engine start-up: the one place that initialises libgcrypt.
 */
#include "oscore/engine.h"

#include <gcrypt.h>
#include <stdbool.h>

osc_status osc_engine_init(void)
{
    /* An application such as Wireshark initialises libgcrypt itself and
     * initialising again would be an error there: then only the version
     * is checked. In a fresh process gcry_check_version must be the first
     * libgcrypt call; it also runs libgcrypt's own set-up. */
    bool already = gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P);
    if (!gcry_check_version(OSC_ENGINE_MIN_GCRYPT_VERSION))
        return OSC_ERR_CRYPTO_BACKEND;
    if (!already)
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    return OSC_OK;
}
