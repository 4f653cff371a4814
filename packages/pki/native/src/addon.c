/*
 * @signet/pki native ECDSA: the N-API surface of p384.c, plus prehashed ECDSA verification for
 * P-256 and P-521 through the OpenSSL that Node.js itself links (its symbols are exported to
 * addons), and P-256 signing through the same OpenSSL. Every function takes and returns
 * big-endian byte strings; the TypeScript side (src/native/index.ts) validates lengths and
 * encodings before calling, and these functions check them again (a wrong call throws a
 * TypeError, never reads out of bounds).
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <node_api.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>
#include <string.h>

#include "p384.h"

static int bytes_arg(napi_env env, napi_value v, size_t want, const uint8_t **out, size_t *len) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  size_t n;
  void *data;
  if (napi_get_typedarray_info(env, v, &type, &n, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) return 0;
  if (want != 0 && n != want) return 0;
  *out = (const uint8_t *)data;
  if (len) *len = n;
  return 1;
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static napi_value boolean(napi_env env, int v) {
  napi_value out;
  napi_get_boolean(env, v != 0, &out);
  return out;
}

/* p384Sign(d: Uint8Array(48), e: Uint8Array(48), seed: Uint8Array(64), blind: Uint8Array(96)):
 * Buffer(96) r||s | null */
static napi_value p384_sign_js(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const uint8_t *d, *e, *seed, *blind;
  if (argc != 4 || !bytes_arg(env, argv[0], 48, &d, NULL) || !bytes_arg(env, argv[1], 48, &e, NULL) ||
      !bytes_arg(env, argv[2], 64, &seed, NULL) || !bytes_arg(env, argv[3], 96, &blind, NULL)) {
    return throw_type(env, "p384Sign(d[48], e[48], seed[64], blind[96])");
  }
  uint8_t rs[96];
  napi_value out;
  if (!p384_sign(rs, d, e, seed, blind)) {
    napi_get_null(env, &out);
    return out;
  }
  void *copy;
  napi_create_buffer_copy(env, sizeof rs, rs, &copy, &out);
  return out;
}

/* p384Verify(q: Uint8Array(97), e: Uint8Array(48), r: Uint8Array(48), s: Uint8Array(48)): boolean */
static napi_value p384_verify_js(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const uint8_t *q, *e, *r, *s;
  if (argc != 4 || !bytes_arg(env, argv[0], 97, &q, NULL) || !bytes_arg(env, argv[1], 48, &e, NULL) ||
      !bytes_arg(env, argv[2], 48, &r, NULL) || !bytes_arg(env, argv[3], 48, &s, NULL)) {
    return throw_type(env, "p384Verify(q[97], e[48], r[48], s[48])");
  }
  return boolean(env, p384_verify(q, e, r, s));
}

/* p384KeyTable(q: Uint8Array(97)): ArrayBuffer | null — the comb table of a verification key. */
static napi_value p384_key_table_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const uint8_t *q;
  if (argc != 1 || !bytes_arg(env, argv[0], 97, &q, NULL)) return throw_type(env, "p384KeyTable(q[97])");
  void *data;
  napi_value out;
  if (napi_create_arraybuffer(env, p384_key_table_size(), &data, &out) != napi_ok) return NULL;
  if (!p384_key_table(data, q)) napi_get_null(env, &out);
  return out;
}

/* p384VerifyTable(table: ArrayBuffer, e: Uint8Array(48), r: Uint8Array(48), s: Uint8Array(48)): boolean */
static napi_value p384_verify_table_js(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  bool is_ab = false;
  void *table = NULL;
  size_t len = 0;
  const uint8_t *e, *r, *s;
  if (argc != 4 || napi_is_arraybuffer(env, argv[0], &is_ab) != napi_ok || !is_ab ||
      napi_get_arraybuffer_info(env, argv[0], &table, &len) != napi_ok || len != p384_key_table_size() ||
      !bytes_arg(env, argv[1], 48, &e, NULL) || !bytes_arg(env, argv[2], 48, &r, NULL) || !bytes_arg(env, argv[3], 48, &s, NULL)) {
    return throw_type(env, "p384VerifyTable(table, e[48], r[48], s[48])");
  }
  return boolean(env, p384_verify_table(table, e, r, s));
}

/* p384BaseMulX(k: Uint8Array(48)): Buffer(48) | null — x(k·G), for tests against OpenSSL. */
static napi_value p384_base_mul_x_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const uint8_t *k;
  if (argc != 1 || !bytes_arg(env, argv[0], 48, &k, NULL)) return throw_type(env, "p384BaseMulX(k[48])");
  uint8_t x[48];
  napi_value out;
  if (!p384_base_mul_x(x, k)) {
    napi_get_null(env, &out);
    return out;
  }
  void *copy;
  napi_create_buffer_copy(env, sizeof x, x, &copy, &out);
  return out;
}

/*
 * opensslVerifyDigest(curve: 256 | 521, q: Uint8Array (uncompressed point), digest: Uint8Array,
 * r: Uint8Array, s: Uint8Array): boolean. The digest is truncated to the order's bit length by
 * OpenSSL, as FIPS 186-5 requires.
 */
static EC_GROUP *group256, *group521;

static napi_value openssl_verify_js(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t curve = 0;
  const uint8_t *q, *dg, *r, *s;
  size_t qlen, dlen, rlen, slen;
  if (argc != 5 || napi_get_value_int32(env, argv[0], &curve) != napi_ok || !bytes_arg(env, argv[1], 0, &q, &qlen) ||
      !bytes_arg(env, argv[2], 0, &dg, &dlen) || !bytes_arg(env, argv[3], 0, &r, &rlen) || !bytes_arg(env, argv[4], 0, &s, &slen)) {
    return throw_type(env, "opensslVerifyDigest(curve, q, digest, r, s)");
  }
  EC_GROUP *group = curve == 256 ? group256 : curve == 521 ? group521 : NULL;
  size_t field = curve == 256 ? 32 : 66;
  if (group == NULL) return throw_type(env, "opensslVerifyDigest: curve must be 256 or 521");
  if (qlen != 1 + 2 * field || q[0] != 0x04 || dlen == 0 || dlen > 64 || rlen == 0 || rlen > field || slen == 0 || slen > field) {
    return boolean(env, 0);
  }
  int ok = 0;
  EC_KEY *key = EC_KEY_new();
  ECDSA_SIG *sig = ECDSA_SIG_new();
  BIGNUM *br = BN_bin2bn(r, (int)rlen, NULL);
  BIGNUM *bs = BN_bin2bn(s, (int)slen, NULL);
  if (key && sig && br && bs && EC_KEY_set_group(key, group) == 1 && EC_KEY_oct2key(key, q, qlen, NULL) == 1 &&
      ECDSA_SIG_set0(sig, br, bs) == 1) {
    br = bs = NULL; /* owned by sig now */
    ok = ECDSA_do_verify(dg, (int)dlen, sig, key) == 1;
  }
  BN_free(br);
  BN_free(bs);
  ECDSA_SIG_free(sig);
  EC_KEY_free(key);
  return boolean(env, ok);
}

/*
 * opensslSigningKey(d: Uint8Array(32)): External | null — a P-256 private key held by OpenSSL
 * (freed with the handle); null if d is not in [1, n-1].
 * opensslSignDigest(key: External, digest: Uint8Array(1..64)): Buffer (DER ECDSA signature).
 * OpenSSL's own ECDSA_do_sign: constant-time P-256 (nistz256 where the CPU has it) and a nonce
 * derived from the private key, the digest and fresh randomness (hedged).
 */
static void free_ec_key(napi_env env, void *data, void *hint) {
  EC_KEY_free((EC_KEY *)data);
}

static napi_value openssl_signing_key_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const uint8_t *d;
  if (argc != 1 || !bytes_arg(env, argv[0], 32, &d, NULL)) return throw_type(env, "opensslSigningKey(d[32])");
  napi_value out;
  napi_get_null(env, &out);
  EC_KEY *key = EC_KEY_new();
  BIGNUM *bd = BN_bin2bn(d, 32, NULL);
  const BIGNUM *n = EC_GROUP_get0_order(group256);
  if (key && bd && !BN_is_zero(bd) && BN_cmp(bd, n) < 0 && EC_KEY_set_group(key, group256) == 1 &&
      EC_KEY_set_private_key(key, bd) == 1 && napi_create_external(env, key, free_ec_key, NULL, &out) == napi_ok) {
    key = NULL; /* owned by the handle now */
  }
  BN_clear_free(bd);
  EC_KEY_free(key);
  return out;
}

static napi_value openssl_sign_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_valuetype kind;
  EC_KEY *key = NULL;
  const uint8_t *dg;
  size_t dlen;
  if (argc != 2 || napi_typeof(env, argv[0], &kind) != napi_ok || kind != napi_external ||
      napi_get_value_external(env, argv[0], (void **)&key) != napi_ok || key == NULL ||
      !bytes_arg(env, argv[1], 0, &dg, &dlen) || dlen == 0 || dlen > 64) {
    return throw_type(env, "opensslSignDigest(key, digest[1..64])");
  }
  ECDSA_SIG *sig = ECDSA_do_sign(dg, (int)dlen, key);
  if (sig == NULL) {
    napi_throw_error(env, NULL, "opensslSignDigest: ECDSA_do_sign failed");
    return NULL;
  }
  uint8_t der[80];
  uint8_t *p = der;
  int len = i2d_ECDSA_SIG(sig, NULL) <= (int)sizeof der ? i2d_ECDSA_SIG(sig, &p) : -1;
  ECDSA_SIG_free(sig);
  if (len <= 0) {
    napi_throw_error(env, NULL, "opensslSignDigest: DER encoding failed");
    return NULL;
  }
  napi_value out;
  void *copy;
  napi_create_buffer_copy(env, (size_t)len, der, &copy, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  if (group256 == NULL) group256 = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  if (group521 == NULL) group521 = EC_GROUP_new_by_curve_name(NID_secp521r1);
  if (group256 == NULL || group521 == NULL) {
    napi_throw_error(env, NULL, "OpenSSL has no P-256/P-521 group");
    return NULL;
  }
  napi_property_descriptor props[] = {
    {"p384Sign", NULL, p384_sign_js, NULL, NULL, NULL, napi_default, NULL},
    {"p384Verify", NULL, p384_verify_js, NULL, NULL, NULL, napi_default, NULL},
    {"p384KeyTable", NULL, p384_key_table_js, NULL, NULL, NULL, napi_default, NULL},
    {"p384VerifyTable", NULL, p384_verify_table_js, NULL, NULL, NULL, napi_default, NULL},
    {"p384BaseMulX", NULL, p384_base_mul_x_js, NULL, NULL, NULL, napi_default, NULL},
    {"opensslVerifyDigest", NULL, openssl_verify_js, NULL, NULL, NULL, napi_default, NULL},
    {"opensslSigningKey", NULL, openssl_signing_key_js, NULL, NULL, NULL, napi_default, NULL},
    {"opensslSignDigest", NULL, openssl_sign_js, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
