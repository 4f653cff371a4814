/*
 * ECDSA over NIST P-384 (FIPS 186-5): constant-time signing with a fixed-base comb and
 * variable-time verification. Pure C, no allocation after the first call, no dependency.
 * Big-endian byte strings at the interface, as in X.509 and JOSE.
 */
#ifndef SIGNET_P384_H
#define SIGNET_P384_H

#include <stddef.h>
#include <stdint.h>

/*
 * Signs the 48-byte integer `e` (the SHA-384 digest, or any digest already truncated to 384 bits)
 * with the private scalar `d` (48 bytes, 1 <= d < n). The nonce is `seed` (64 uniformly random
 * bytes, e.g. a hash of fresh randomness, d and e) reduced mod n. `blind` is 96 fresh random
 * bytes: the two inversions run on values multiplied by them. Writes r || s (48 + 48 bytes).
 * Returns 1 on success, 0 if the seed gave k = 0, r = 0 or s = 0 (draw a new seed) or d is out of
 * range. Runs in time independent of d and k.
 */
int p384_sign(uint8_t rs[96], const uint8_t d[48], const uint8_t e[48], const uint8_t seed[64], const uint8_t blind[96]);

/*
 * Verifies (r, s) over the 48-byte integer `e` with the public point `q` = 0x04 || X || Y
 * (97 bytes). Returns 1 if valid, 0 otherwise (point not on the curve, r or s outside [1, n-1],
 * wrong signature). Variable time: every input is public.
 */
int p384_verify(const uint8_t q[97], const uint8_t e[48], const uint8_t r[48], const uint8_t s[48]);

/*
 * Verification against a key seen often (the CA key the CT log checks every precertificate with):
 * p384_key_table fills `table` (p384_key_table_size() bytes, 8-byte aligned) with a comb table of
 * the point `q` (returns 0 if q is not a valid point); p384_verify_table then verifies with it,
 * about three times faster than p384_verify.
 */
size_t p384_key_table_size(void);
int p384_key_table(void *table, const uint8_t q[97]);
int p384_verify_table(const void *table, const uint8_t e[48], const uint8_t r[48], const uint8_t s[48]);

/* x(k·G) for 1 <= k < n (48 bytes each way), through the signing comb; returns 0 if k is out of range. */
int p384_base_mul_x(uint8_t x[48], const uint8_t k[48]);

#endif
