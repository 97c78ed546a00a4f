/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Group OSCORE (RFC 10021): the group context with its
 * members, group mode (encrypt-then-countersign with Ed25519) and pairwise
 * mode (pairwise keys from X25519), for requests and responses, as one
 * OSCORE layer among others.
 *
 * Supported: EdDSA/Ed25519 and ES256 (ECDSA P-256) countersignatures;
 * as Group Encryption Algorithm every AEAD of algorithms.h and the
 * non-AEAD A128CTR, A192CTR, A256CTR; ECDH-SS + HKDF-256 for pairwise mode
 * with X25519 (from Ed25519 keys) or P-256. Credentials are CWT Claims
 * Sets (CCS) with an OKP (Ed25519) or EC2 (P-256) key; X.509, C509 and CWT
 * credentials give OSC_ERR_CREDENTIAL_UNSUPPORTED, other signature
 * algorithms and curves OSC_ERR_GROUP_UNSUPPORTED.
 *
 * A passive observer holds the group's keying material and the members'
 * credentials (public keys); it can remove group-mode layers and verify
 * their signatures. Pairwise mode needs the private key of one of the two
 * members involved.
 */
#ifndef OSCORE_GROUP_H
#define OSCORE_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oscore/algorithms.h"
#include "oscore/bytes.h"
#include "oscore/coap.h"
#include "oscore/context.h"
#include "oscore/layer.h"
#include "oscore/signature.h"
#include "oscore/status.h"

#define OSC_GROUP_MAX_MEMBERS 16
#define OSC_MAX_CREDENTIAL_LEN 256
#define OSC_GROUP_NO_MEMBER ((size_t)-1)

enum {
    OSC_SIGNATURE_EDDSA = -8,           /* COSE EdDSA (here Ed25519) */
    OSC_SIGNATURE_ES256 = -7,           /* COSE ECDSA P-256 with SHA-256 */
    OSC_PAIRWISE_ECDH_SS_HKDF_256 = -27 /* COSE ECDH-SS + HKDF-256 */
};

typedef struct osc_group_member_params {
    uint8_t id[OSC_MAX_ID_LEN];
    size_t id_len;
    /* Authentication credential exactly as distributed (for CCS: the
     * untagged CBOR map); it enters the AAD byte for byte. */
    uint8_t credential[OSC_MAX_CREDENTIAL_LEN];
    size_t credential_len;
    bool has_private_key;
    /* Ed25519 seed or P-256 private scalar, as the credential's curve. */
    uint8_t private_key[OSC_MAX_PRIVATE_KEY_LEN];
} osc_group_member_params;

typedef struct osc_group_params {
    uint8_t master_secret[OSC_MAX_SECRET_LEN];
    size_t master_secret_len;
    uint8_t master_salt[OSC_MAX_SALT_LEN];
    size_t master_salt_len;
    uint8_t gid[OSC_MAX_ID_CONTEXT_LEN]; /* the ID Context */
    size_t gid_len;
    int aead_id;         /* AEAD Algorithm (pairwise mode); 0 = not set */
    int group_enc_id;    /* Group Encryption Algorithm; 0 = not set */
    int signature_alg;   /* Signature Algorithm; 0 = not set */
    int pairwise_ka_alg; /* Pairwise Key Agreement Algorithm; 0 = not set */
    osc_hkdf_alg hkdf;
    uint8_t gm_credential[OSC_MAX_CREDENTIAL_LEN];
    size_t gm_credential_len;
    size_t member_count;
    osc_group_member_params members[OSC_GROUP_MAX_MEMBERS];
} osc_group_params;

typedef struct osc_group_member {
    uint8_t id[OSC_MAX_ID_LEN];
    size_t id_len;
    uint8_t credential[OSC_MAX_CREDENTIAL_LEN];
    size_t credential_len;
    osc_key_curve curve; /* of the credential's key */
    /* From the credential: 32 bytes (Ed25519) or x || y (P-256). */
    uint8_t public_key[OSC_MAX_PUBLIC_KEY_LEN];
    /* This member's Sender Key (derived with the Group Encryption
     * Algorithm when set, else the AEAD Algorithm). */
    uint8_t key[OSC_MAX_KEY_LEN];
    bool has_private_key;
    uint8_t private_key[OSC_MAX_PRIVATE_KEY_LEN];
} osc_group_member;

typedef struct osc_group_context {
    const osc_aead_alg *aead;      /* NULL when not set */
    const osc_aead_alg *group_enc; /* NULL when not set */
    int signature_alg;
    int pairwise_ka_alg;
    osc_hkdf_alg hkdf;
    uint8_t gid[OSC_MAX_ID_CONTEXT_LEN];
    size_t gid_len;
    uint8_t common_iv[OSC_MAX_NONCE_LEN];
    uint8_t signature_key[OSC_MAX_KEY_LEN]; /* Signature Encryption Key */
    size_t signature_key_len;
    uint8_t gm_credential[OSC_MAX_CREDENTIAL_LEN];
    size_t gm_credential_len;
    size_t member_count;
    osc_group_member members[OSC_GROUP_MAX_MEMBERS];
    /* pairwise_key[i][j]: the key of messages from member i to member j,
     * derived once when the private key of i or j is known. */
    bool has_pairwise_key[OSC_GROUP_MAX_MEMBERS][OSC_GROUP_MAX_MEMBERS];
    uint8_t pairwise_key[OSC_GROUP_MAX_MEMBERS][OSC_GROUP_MAX_MEMBERS]
                        [OSC_MAX_KEY_LEN];
} osc_group_context;

/* Sets defaults: nothing set, HKDF-SHA-256. */
void osc_group_params_init(osc_group_params *params);

/*
 * Derives every member's key, the Common IV, the Signature Encryption
 * Key and, where a private key allows, the pairwise keys (RFC 10021
 * 2.3-2.5). Errors: OSC_ERR_UNKNOWN_AEAD (the AEAD Algorithm, which
 * pairwise mode uses, must be an AEAD: A128CTR there is rejected),
 * OSC_ERR_GROUP_UNSUPPORTED (signature, encryption or key agreement
 * algorithm not handled), OSC_ERR_CREDENTIAL_MALFORMED (a CCS naming no
 * Ed25519 or P-256 key), OSC_ERR_CREDENTIAL_UNSUPPORTED (not a CCS),
 * OSC_ERR_CREDENTIAL_WRONG_CURVE (a key of another curve than the
 * Signature Algorithm's, or two members of different curves in pairwise
 * mode), OSC_ERR_INVALID_ARGUMENT (a private key that is none of its
 * curve), OSC_ERR_ID_TOO_LONG, OSC_ERR_TOO_MANY_MEMBERS,
 * OSC_ERR_CRYPTO_BACKEND.
 */
osc_status osc_group_context_derive(const osc_group_params *params,
                                    osc_group_context *out);

/* The curve a Signature Algorithm (COSE id) signs with, which every
 * member's credential must have; OSC_CURVE_NONE for another algorithm. */
osc_key_curve osc_group_signature_curve(int signature_alg);

/* Index of the member with this Sender ID, or OSC_GROUP_NO_MEMBER. */
size_t osc_group_find_member(const osc_group_context *group, const uint8_t *id,
                             size_t id_len);

/*
 * Extracts the public key of a CWT Claims Set credential {8: {1:
 * COSE_Key}}: "x" (label -2) of an OKP COSE_Key with crv 6 (Ed25519, 32
 * bytes), or x || y (labels -2, -3) of an EC2 COSE_Key with crv 1
 * (P-256, 64 bytes), and its curve. Errors: OSC_ERR_CREDENTIAL_MALFORMED,
 * OSC_ERR_CREDENTIAL_UNSUPPORTED (not a CBOR map: X.509, C509, CWT).
 */
osc_status osc_group_credential_public_key(const uint8_t *credential,
                                           size_t credential_len,
                                           osc_key_curve *curve,
                                           uint8_t key[OSC_MAX_PUBLIC_KEY_LEN]);

/*
 * The AAD of a group or pairwise message (RFC 10021 3.4):
 * Enc_structure around the 9-element aad_array. Also the external_aad of
 * the countersignature: *external_aad_offset tells where it starts in
 * out. Errors: OSC_ERR_BUFFER_TOO_SMALL.
 */
osc_status osc_group_aad(const osc_group_context *group, osc_bytes request_kid,
                         osc_bytes request_piv, osc_bytes oscore_option,
                         osc_bytes sender_credential, uint8_t *out, size_t cap,
                         size_t *written, size_t *external_aad_offset);

/* Parameters of one group-mode or pairwise-mode protection. */
typedef struct osc_group_protect_params {
    const osc_group_context *group;
    size_t sender;    /* member index of the producer */
    bool pairwise;    /* pairwise mode instead of group mode */
    size_t recipient; /* pairwise requests: member index of the server */
    uint64_t sequence_number;
    /* Responses: the request layer answered, and whether the response
     * carries its own Partial IV. */
    const osc_request_binding *request;
    bool response_with_piv;
    uint16_t escalated[OSC_MAX_ESCALATED];
    size_t escalated_count;
} osc_group_protect_params;

/* Work bytes osc_group_protect needs. */
size_t osc_group_protect_work_size(const osc_coap_message *in);

/*
 * Protects `in` once with the group context: group mode encrypts with the
 * sender's key and appends the encrypted countersignature (needs
 * the sender's private key: OSC_ERR_NO_PRIVATE_KEY); pairwise mode
 * encrypts with the pairwise key and has no signature. Requests carry the
 * Gid as kid context; group-mode responses carry the responder's kid.
 */
osc_status osc_group_protect(const osc_coap_message *in,
                             const osc_group_protect_params *params,
                             uint8_t *work, size_t work_cap,
                             osc_coap_message *out,
                             osc_request_binding *binding);

/* Work bytes osc_group_unprotect needs for msg (osc_layer_unprotect_work_size
 * already includes them). */
size_t osc_group_unprotect_work_size(const osc_coap_message *msg);

/*
 * Removes one group or pairwise layer: the Group Flag of the OSCORE
 * option selects the mode. Requests: the sender is found by kid (the
 * message's kid context must equal the Gid); in pairwise mode every
 * member whose pairwise key with the sender is known is tried as the
 * recipient. Responses: `request` is the binding of the request layer.
 * In group mode the countersignature is verified (5-element ToBeSigned
 * first, then the 4-element form, see to_be_signed in group_layer.c); a failure
 * gives
 * OSC_ERR_SIGNATURE_INVALID and no plaintext. A kid that names no member
 * (its credential is unknown) gives OSC_ERR_UNKNOWN_MEMBER. Other statuses
 * as osc_layer_unprotect.
 */
osc_status osc_group_unprotect(const osc_coap_message *msg,
                               const osc_group_context *group,
                               const osc_request_binding *request,
                               uint8_t *work, size_t work_cap,
                               osc_layer_result *result);

#endif
