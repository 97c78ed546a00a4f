#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Group OSCORE (RFC 10021) vectors for the algorithms group-oscore.json
does not cover: ES256 (ECDSA P-256, RFC 9053 2.1) countersignatures, the
non-AEAD Group Encryption Algorithm A128CTR (RFC 9459 4) and pairwise keys
from P-256 ECDH.

Written from the RFC text, independently of the C engine, on pyca/
cryptography (ECDSA with the deterministic nonce of RFC 6979, ECDH, AES,
HKDF); only CBOR is encoded by hand. Run it with a cryptography >= 42 (for
deterministic ECDSA) to regenerate group-algorithms.json:

    python3 gen_group_algorithms.py > group-algorithms.json

With --check GROUP_OSCORE_JSON it first reproduces, with the same code,
every value of tests/vectors/group-oscore.json (EdDSA with AES-CCM-16-64-128,
the configuration aiocoap verified) and fails on any difference.

Each case protects the messages of group-oscore.json: a NON group-mode
GET /tv1 (MID 0x5d1f, token 00003974, client SSN 5), a 2.05 "Hello World!"
response without Partial IV (MID 0x7a10) and one with the server's PIV 0
(MID 0x7a11); a CON pairwise GET /tv1 (MID 0x5d20, token 00003975, SSN 6)
and its ACK without kid or Partial IV.
"""
import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import serialization

# ---- minimal CBOR encoder (definite lengths only) ----


def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | ai]) + n.to_bytes(size, "big")
    raise ValueError(n)


def cbor(v):
    if v is None:
        return b"\xf6"
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if isinstance(v, int):
        return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, str):
        return head(3, len(v.encode())) + v.encode()
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(v)


# ---- algorithms ----

AEADS = {  # COSE id: (name, key, nonce, tag)
    10: ("AES-CCM-16-64-128", 16, 13, 8),
    1: ("A128GCM", 16, 12, 16),
    -65534: ("A128CTR", 16, 12, 0),
}
SIG_EDDSA, SIG_ES256 = -8, -7
PAIRWISE_KA = -27


def hkdf(salt, ikm, info, length):
    return HKDF(hashes.SHA256(), length, salt or None, info).derive(ikm)


def encrypt(alg, key, nonce, aad, plaintext):
    if alg == 10:
        return AESCCM(key, tag_length=8).encrypt(nonce, plaintext, aad)
    if alg == 1:
        return AESGCM(key).encrypt(nonce, plaintext, aad)
    # A128CTR: counter block = nonce || 32-bit counter from 0; no AAD, no tag
    enc = Cipher(algorithms.AES(key), modes.CTR(nonce + b"\0" * 4)).encryptor()
    return enc.update(plaintext) + enc.finalize()


class Member:
    def __init__(self, sender_id, curve, secret):
        self.id = sender_id
        self.curve = curve
        if curve == "Ed25519":
            self.private = ed25519.Ed25519PrivateKey.from_private_bytes(secret)
            self.public = self.private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            cose_key = {1: 1, 3: SIG_EDDSA, -1: 6, -2: self.public}
        else:
            self.private = ec.derive_private_key(int.from_bytes(secret, "big"),
                                                 ec.SECP256R1())
            numbers = self.private.public_key().public_numbers()
            x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
            self.public = x + y
            cose_key = {1: 2, 3: SIG_ES256, -1: 1, -2: x, -3: y}
        self.secret = secret
        self.credential = cbor({8: {1: cose_key}})

    def sign(self, message):
        if self.curve == "Ed25519":
            return self.private.sign(message)
        der = self.private.sign(
            message, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def shared_secret(self, peer):
        if self.curve == "P-256":
            return self.private.exchange(ec.ECDH(), peer.private.public_key())
        # X25519 from Ed25519 keys (RFC 7748 4.1 map; RFC 8032 scalar)
        p = 2**255 - 19
        y = int.from_bytes(peer.public, "little") & ((1 << 255) - 1)
        u = (1 + y) * pow(1 - y, p - 2, p) % p
        digest = hashes.Hash(hashes.SHA512())
        digest.update(self.secret)
        scalar = digest.finalize()[:32]
        own = x25519.X25519PrivateKey.from_private_bytes(scalar)
        return own.exchange(x25519.X25519PublicKey.from_public_bytes(
            u.to_bytes(32, "little")))


class Group:
    def __init__(self, case):
        self.secret = bytes.fromhex("0102030405060708090a0b0c0d0e0f10")
        self.salt = bytes.fromhex("9e7ca92223786340")
        self.gid = bytes.fromhex("44616c")
        self.aead, self.group_enc, self.sig = case["aead"], case["group_enc"], case["sig"]
        curve = "Ed25519" if self.sig == SIG_EDDSA else "P-256"
        keys = case["keys"]
        self.client = Member(b"\x25", curve, bytes.fromhex(keys[0]))
        self.server = Member(b"\x52", curve, bytes.fromhex(keys[1]))
        self.gm = Member(b"", curve, bytes.fromhex(keys[2]))
        self.algorithms = [self.aead, self.group_enc, self.sig, PAIRWISE_KA]
        enc = AEADS[self.group_enc]
        self.enc_key_len, self.enc_nonce_len = enc[1], enc[2]
        iv_len = max(enc[2], AEADS[self.aead][2])
        self.common_iv = self.derive(b"", self.group_enc, "IV", iv_len)
        self.sekey = self.derive(b"", self.group_enc, "SEKey", enc[1])
        for m in (self.client, self.server):
            m.key = self.derive(m.id, self.group_enc, "Key", enc[1])

    def derive(self, ident, alg, kind, length):
        info = cbor([ident, self.gid, alg, kind, length])
        return hkdf(self.salt, self.secret, info, length)

    def pairwise_key(self, sender, recipient):
        shared = sender.shared_secret(recipient)
        ikm = sender.credential + recipient.credential + shared
        length = AEADS[self.aead][1]
        info = cbor([sender.id, self.gid, self.aead, "Key", length])
        return hkdf(sender.key, ikm, info, length), shared

    def nonce(self, piv_id, piv, length):
        field = bytes([len(piv_id)]) + piv_id.rjust(length - 6, b"\0") + piv.rjust(5, b"\0")
        return bytes(a ^ b for a, b in zip(field, self.common_iv[:length]))

    def external_aad(self, request_kid, request_piv, option, sender):
        array = [1, self.algorithms, request_kid, request_piv, b"", self.gid,
                 option, sender.credential, self.gm.credential]
        return cbor(cbor(array))  # bstr .cbor aad_array

    def keystream(self, piv, ident, is_request):
        info = cbor([ident, self.gid, is_request, 64])
        return hkdf(piv, self.sekey, info, 64)


def coap(msg_type, code, mid, token, options, payload=b""):
    out = bytes([0x40 | msg_type << 4 | len(token), code]) + mid.to_bytes(2, "big") + token
    last = 0
    for number, value in options:
        delta, length = number - last, len(value)
        assert delta < 13 and length < 13
        out += bytes([delta << 4 | length]) + value
        last = number
    return out + (b"\xff" + payload if payload else b"")


def option_value(flags_piv, kid_context=None, kid=None, group=False):
    piv = flags_piv
    flags = len(piv) | (0x20 if group else 0) | (0x08 if kid is not None else 0)
    flags |= 0x10 if kid_context is not None else 0
    if flags == 0:
        return b""
    out = bytes([flags]) + piv
    if kid_context is not None:
        out += bytes([len(kid_context)]) + kid_context
    return out + (kid if kid is not None else b"")


def protect(g, out, prefix, sender, plaintext, header, option, request_kid,
            request_piv, nonce, pairwise_key=None):
    """Encrypts (and in group mode signs) one message; header is (type,
    code, mid, token) of the outer message."""
    ext = g.external_aad(request_kid, request_piv, option, sender)
    aad = head(4, 3) + cbor("Encrypt0") + cbor(b"") + ext
    out[prefix + "nonce"] = nonce
    out[prefix + "AAD_enc_structure"] = aad
    if pairwise_key is not None:
        ciphertext = encrypt(g.aead, pairwise_key, nonce, aad, plaintext)
        payload = ciphertext
    else:
        ciphertext = encrypt(g.group_enc, sender.key, nonce[:g.enc_nonce_len], aad, plaintext)
        to_be_signed = head(4, 5) + cbor("CounterSignature0") + cbor(b"") + cbor(b"") + ext + cbor(ciphertext)
        signature = sender.sign(to_be_signed)
        out[prefix + "signature"] = signature
        payload = ciphertext + bytes(a ^ b for a, b in zip(signature, out[prefix + "keystream"]))
    out[prefix + "ciphertext"] = ciphertext
    msg_type, code, mid, token = header
    out[prefix + "protected_coap"] = coap(msg_type, code, mid, token, [(9, option)], payload)


def generate(name, case):
    g = Group(case)
    out = {}
    out["alg_aead"] = str(g.aead).encode()
    out["alg_group_enc"] = str(g.group_enc).encode()
    out["alg_signature"] = str(g.sig).encode()
    for label, m in (("client", g.client), ("server", g.server), ("gm", g.gm)):
        out["private_" + label] = m.secret
        out["cred_" + label] = m.credential
    out["pub_client"], out["pub_server"] = g.client.public, g.server.public
    out["sender_key_client"], out["sender_key_server"] = g.client.key, g.server.key
    out["common_iv"], out["signature_encryption_key"] = g.common_iv, g.sekey

    n = g.enc_nonce_len
    # group-mode request, client SSN 5
    piv = b"\x05"
    req_plain = bytes([0x01]) + bytes([0xb3]) + b"tv1"
    out["req_plaintext"] = req_plain
    req_opt = option_value(piv, g.gid, g.client.id, group=True)
    out["req_keystream"] = g.keystream(piv, g.client.id, True)
    req_nonce = g.nonce(g.client.id, piv, n)
    protect(g, out, "req_", g.client, req_plain, (1, 0x02, 0x5d1f, bytes.fromhex("00003974")),
            req_opt, g.client.id, piv, req_nonce)
    # responses: without PIV (request nonce and keystream salt), with PIV 0
    resp_plain = bytes([0x45, 0xff]) + b"Hello World!"
    out["resp_plaintext"] = resp_plain
    opt1 = option_value(b"", None, g.server.id, group=True)
    out["resp1_keystream"] = g.keystream(piv, g.client.id, False)
    protect(g, out, "resp1_", g.server, resp_plain, (1, 0x44, 0x7a10, bytes.fromhex("00003974")),
            opt1, g.client.id, piv, req_nonce)
    opt2 = option_value(b"\x00", None, g.server.id, group=True)
    out["resp2_keystream"] = g.keystream(b"\x00", g.server.id, False)
    protect(g, out, "resp2_", g.server, resp_plain, (1, 0x44, 0x7a11, bytes.fromhex("00003974")),
            opt2, g.client.id, piv, g.nonce(g.server.id, b"\x00", n))

    # pairwise mode (the AEAD Algorithm), client SSN 6
    key_cs, shared = g.pairwise_key(g.client, g.server)
    key_sc, shared2 = g.pairwise_key(g.server, g.client)
    assert shared == shared2
    out["shared_secret"] = shared
    out["pairwise_key_client_to_server"], out["pairwise_key_server_to_client"] = key_cs, key_sc
    pn = AEADS[g.aead][2]
    pw_piv = b"\x06"
    pw_opt = option_value(pw_piv, g.gid, g.client.id)
    pw_nonce = g.nonce(g.client.id, pw_piv, pn)
    protect(g, out, "pw_req_", g.client, req_plain, (0, 0x02, 0x5d20, bytes.fromhex("00003975")),
            pw_opt, g.client.id, pw_piv, pw_nonce, key_cs)
    protect(g, out, "pw_resp_", g.server, resp_plain, (2, 0x44, 0x5d20, bytes.fromhex("00003975")),
            b"", g.client.id, pw_piv, pw_nonce, key_sc)
    return {name + "/" + k: (v.decode() if k.startswith("alg_") else v.hex())
            for k, v in out.items()}


# Private keys: Ed25519 seeds of RFC 8032 7.1 (TEST 1-3) and P-256
# scalars: RFC 6979 A.2.5's key for the client, two more of our own.
ED25519_KEYS = ["9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"]
P256_KEYS = ["c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
             "0f56db78ca460b055c500064824bed999a25aaf48ebb519ac201537b85479813",
             "5c6f3b1b3f0e8e1ed1a5a7d66d0a3a2e47f0b7a5a0c1f3c2d4e5f60718293a4b"]
CASES = {
    "es256_ctr": {"aead": 10, "group_enc": -65534, "sig": SIG_ES256, "keys": P256_KEYS},
    "es256_gcm": {"aead": 1, "group_enc": 1, "sig": SIG_ES256, "keys": P256_KEYS},
    "eddsa_ctr": {"aead": 10, "group_enc": -65534, "sig": SIG_EDDSA, "keys": ED25519_KEYS},
}

def check(path):
    """The EdDSA / AES-CCM-16-64-128 case must give group-oscore.json."""
    with open(path) as f:
        reference = json.load(f)
    mine = generate("x", {"aead": 10, "group_enc": 10, "sig": SIG_EDDSA,
                          "keys": ED25519_KEYS})
    compared = 0
    for name, value in mine.items():
        name = name[2:]
        if name in reference:
            if reference[name] != value:
                sys.exit("%s differs from %s" % (name, path))
            compared += 1
    if compared < 30:
        sys.exit("only %d values of %s compared" % (compared, path))
    print("%d values of %s reproduced" % (compared, path), file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    vectors = {}
    for case_name, case in CASES.items():
        vectors.update(generate(case_name, case))
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")
