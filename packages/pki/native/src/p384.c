/*
 * ECDSA over NIST P-384. See p384.h for the interface and docs/design/native-ecdsa.md for the
 * design and the constant-time argument.
 *
 * Field and scalar arithmetic: 6 x 64-bit limbs, little-endian, in Montgomery form (R = 2^384),
 * one CIOS multiplication shared by both moduli. Points: Jacobian coordinates (X, Y, Z) with Z = 0
 * for infinity, formulas from the Explicit-Formulas Database for a = -3 (dbl-2001-b,
 * madd-2007-bl, add-2007-bl).
 *
 * Signing computes k·G with a fixed-base comb over signed 4-bit digits: k = sum d_i 16^i with
 * d_i in [-8, 8], and a table of j·16^i·G (j = 1..8, i = 0..96) in affine form, so k·G is 97 mixed
 * additions and no doubling. Every table read scans the whole row and every choice is a mask, so
 * the sequence of operations and memory accesses does not depend on k. Inversions use Fermat's
 * little theorem (fixed, public exponents).
 */
#include "p384.h"

#include <pthread.h>
#include <string.h>

#define NL 6
typedef uint64_t limb;
typedef unsigned __int128 dlimb;
typedef struct { limb v[NL]; } fe;

typedef struct {
  fe m;        /* modulus */
  limb m0inv;  /* -m^-1 mod 2^64 */
  fe r2;       /* R^2 mod m */
  fe one;      /* R mod m */
  fe r3;       /* R^3 mod m */
  fe m_minus_2;
} mont;

typedef struct { fe x, y, z; } jac;
typedef struct { fe x, y; } aff;

static const uint8_t P_BE[48] = {
  0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,
  0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xfe,
  0xff,0xff,0xff,0xff,0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x00,0xff,0xff,0xff,0xff};
static const uint8_t N_BE[48] = {
  0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,
  0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xc7,0x63,0x4d,0x81,0xf4,0x37,0x2d,0xdf,
  0x58,0x1a,0x0d,0xb2,0x48,0xb0,0xa7,0x7a,0xec,0xec,0x19,0x6a,0xcc,0xc5,0x29,0x73};
static const uint8_t B_BE[48] = {
  0xb3,0x31,0x2f,0xa7,0xe2,0x3e,0xe7,0xe4,0x98,0x8e,0x05,0x6b,0xe3,0xf8,0x2d,0x19,
  0x18,0x1d,0x9c,0x6e,0xfe,0x81,0x41,0x12,0x03,0x14,0x08,0x8f,0x50,0x13,0x87,0x5a,
  0xc6,0x56,0x39,0x8d,0x8a,0x2e,0xd1,0x9d,0x2a,0x85,0xc8,0xed,0xd3,0xec,0x2a,0xef};
static const uint8_t GX_BE[48] = {
  0xaa,0x87,0xca,0x22,0xbe,0x8b,0x05,0x37,0x8e,0xb1,0xc7,0x1e,0xf3,0x20,0xad,0x74,
  0x6e,0x1d,0x3b,0x62,0x8b,0xa7,0x9b,0x98,0x59,0xf7,0x41,0xe0,0x82,0x54,0x2a,0x38,
  0x55,0x02,0xf2,0x5d,0xbf,0x55,0x29,0x6c,0x3a,0x54,0x5e,0x38,0x72,0x76,0x0a,0xb7};
static const uint8_t GY_BE[48] = {
  0x36,0x17,0xde,0x4a,0x96,0x26,0x2c,0x6f,0x5d,0x9e,0x98,0xbf,0x92,0x92,0xdc,0x29,
  0xf8,0xf4,0x1d,0xbd,0x28,0x9a,0x14,0x7c,0xe9,0xda,0x31,0x13,0xb5,0xf0,0xb8,0xc0,
  0x0a,0x60,0xb1,0xce,0x1d,0x7e,0x81,0x9d,0x7a,0x43,0x1d,0x7c,0x90,0xea,0x0e,0x5f};

/* ---------- limb helpers (constant time) ---------- */

static void fe_from_be(fe *r, const uint8_t b[48]) {
  for (int i = 0; i < NL; i++) {
    limb w = 0;
    for (int j = 0; j < 8; j++) w = (w << 8) | b[(NL - 1 - i) * 8 + j];
    r->v[i] = w;
  }
}

static void fe_to_be(uint8_t b[48], const fe *a) {
  for (int i = 0; i < NL; i++) {
    limb w = a->v[i];
    for (int j = 7; j >= 0; j--) {
      b[(NL - 1 - i) * 8 + j] = (uint8_t)w;
      w >>= 8;
    }
  }
}

#if defined(__x86_64__)
#include <x86intrin.h>
/* r = a - b over NL limbs; returns the borrow (0 or 1). */
static inline limb sub_raw(limb *r, const limb *a, const limb *b) {
  unsigned char c = 0;
  for (int i = 0; i < NL; i++) c = _subborrow_u64(c, a[i], b[i], (unsigned long long *)&r[i]);
  return c;
}

/* r = a + b over NL limbs; returns the carry. */
static inline limb add_raw(limb *r, const limb *a, const limb *b) {
  unsigned char c = 0;
  for (int i = 0; i < NL; i++) c = _addcarry_u64(c, a[i], b[i], (unsigned long long *)&r[i]);
  return c;
}
#else
/* r = a - b over NL limbs; returns the borrow (0 or 1). */
static inline limb sub_raw(limb *r, const limb *a, const limb *b) {
  limb borrow = 0;
  for (int i = 0; i < NL; i++) {
    dlimb t = (dlimb)a[i] - b[i] - borrow;
    r[i] = (limb)t;
    borrow = (limb)(t >> 64) & 1;
  }
  return borrow;
}

/* r = a + b over NL limbs; returns the carry. */
static inline limb add_raw(limb *r, const limb *a, const limb *b) {
  limb carry = 0;
  for (int i = 0; i < NL; i++) {
    dlimb t = (dlimb)a[i] + b[i] + carry;
    r[i] = (limb)t;
    carry = (limb)(t >> 64);
  }
  return carry;
}
#endif

/* r = mask ? a : b, mask all-ones or zero. */
static void fe_select(fe *r, limb mask, const fe *a, const fe *b) {
  for (int i = 0; i < NL; i++) r->v[i] = (a->v[i] & mask) | (b->v[i] & ~mask);
}

static limb fe_is_zero_mask(const fe *a) {
  limb acc = 0;
  for (int i = 0; i < NL; i++) acc |= a->v[i];
  /* all-ones when acc == 0 */
  return (limb)0 - (limb)(((acc | (0 - acc)) >> 63) ^ 1);
}

static int fe_equal(const fe *a, const fe *b) {
  limb acc = 0;
  for (int i = 0; i < NL; i++) acc |= a->v[i] ^ b->v[i];
  return acc == 0;
}

/* ---------- Montgomery arithmetic modulo m (p or n) ---------- */

/* r = a·b·R^-1 mod m, for a·b < m·R; the result is fully reduced (< m). */
static void mont_mul(const mont *c, fe *r, const fe *a, const fe *b) {
  /* Product-scanning (Comba) Montgomery multiplication: the partial products of each column are
   * independent, which keeps the multiplier busy; the accumulator is 192 bits (lo: 128, hi: 64). */
  limb A[NL], B[NL], M[NL], q[NL], t[NL + 1];
  memcpy(A, a->v, sizeof A);
  memcpy(B, b->v, sizeof B);
  memcpy(M, c->m.v, sizeof M);
  const limb m0inv = c->m0inv;
  dlimb lo = 0;
  limb hi = 0;
#define MAC(x, y)                              \
  do {                                         \
    dlimb p_ = (dlimb)(x) * (y);               \
    lo += p_;                                  \
    hi += lo < p_;                             \
  } while (0)
#pragma GCC unroll 6
  for (int i = 0; i < NL; i++) {
#pragma GCC unroll 6
    for (int j = 0; j < i; j++) {
      MAC(A[j], B[i - j]);
      MAC(q[j], M[i - j]);
    }
    MAC(A[i], B[0]);
    q[i] = (limb)lo * m0inv;
    MAC(q[i], M[0]);
    lo = (lo >> 64) | ((dlimb)hi << 64);
    hi = 0;
  }
#pragma GCC unroll 6
  for (int i = NL; i < 2 * NL - 1; i++) {
#pragma GCC unroll 6
    for (int j = i - NL + 1; j < NL; j++) {
      MAC(A[j], B[i - j]);
      MAC(q[j], M[i - j]);
    }
    t[i - NL] = (limb)lo;
    lo = (lo >> 64) | ((dlimb)hi << 64);
    hi = 0;
  }
#undef MAC
  t[NL - 1] = (limb)lo;
  t[NL] = (limb)(lo >> 64);
  /* t < 2m: subtract m unless that borrows past the top limb. */
  limb d[NL];
  limb borrow = sub_raw(d, t, M);
  limb keep = (limb)0 - (limb)(borrow > t[NL]); /* borrow out of the (NL+1)-limb value */
  for (int i = 0; i < NL; i++) r->v[i] = (t[i] & keep) | (d[i] & ~keep);
}

static void mont_sqr(const mont *c, fe *r, const fe *a) { mont_mul(c, r, a, a); }

/* r = a + b mod m (a, b < m). */
static void mod_add(const mont *c, fe *r, const fe *a, const fe *b) {
  fe s, d;
  limb carry = add_raw(s.v, a->v, b->v);
  limb borrow = sub_raw(d.v, s.v, c->m.v);
  /* keep s when s < m, i.e. no carry and the subtraction borrowed */
  limb keep = (limb)0 - (limb)((carry ^ 1) & borrow);
  fe_select(r, keep, &s, &d);
}

/* r = a - b mod m (a, b < m). */
static void mod_sub(const mont *c, fe *r, const fe *a, const fe *b) {
  fe d, m;
  limb borrow = sub_raw(d.v, a->v, b->v);
  limb mask = (limb)0 - borrow;
  for (int i = 0; i < NL; i++) m.v[i] = c->m.v[i] & mask;
  add_raw(r->v, d.v, m.v);
}

/* r = x mod m for x < 2^384 (the single subtraction suffices since m > 2^383). */
static void mod_reduce_once(const mont *c, fe *r, const fe *x) {
  fe d;
  limb borrow = sub_raw(d.v, x->v, c->m.v);
  fe_select(r, (limb)0 - borrow, x, &d);
}

static void to_mont(const mont *c, fe *r, const fe *a) { mont_mul(c, r, a, &c->r2); }

static void from_mont(const mont *c, fe *r, const fe *a) {
  fe one = {{1, 0, 0, 0, 0, 0}};
  mont_mul(c, r, a, &one);
}

/* r = a^(m-2) = a^-1 (Montgomery form in and out), by fixed 4-bit windows over the public
 * exponent: the same squarings and multiplications for every a. */
static void mont_inv(const mont *c, fe *r, const fe *a) {
  fe pw[16];
  pw[0] = c->one;
  pw[1] = *a;
  for (int i = 2; i < 16; i++) mont_mul(c, &pw[i], &pw[i - 1], a);
  fe acc = c->one;
  for (int i = NL * 16 - 1; i >= 0; i--) {
    for (int j = 0; j < 4; j++) mont_sqr(c, &acc, &acc);
    unsigned w = (unsigned)((c->m_minus_2.v[i / 16] >> ((i % 16) * 4)) & 15);
    mont_mul(c, &acc, &acc, &pw[w]);
  }
  *r = acc;
}

static int is_one(const fe *a) {
  limb acc = a->v[0] ^ 1;
  for (int i = 1; i < NL; i++) acc |= a->v[i];
  return acc == 0;
}

static void rshift1(fe *a, limb top) {
  for (int i = 0; i < NL - 1; i++) a->v[i] = (a->v[i] >> 1) | (a->v[i + 1] << 63);
  a->v[NL - 1] = (a->v[NL - 1] >> 1) | (top << 63);
}

static int geq(const fe *a, const fe *b) {
  for (int i = NL - 1; i >= 0; i--) {
    if (a->v[i] != b->v[i]) return a->v[i] > b->v[i];
  }
  return 1;
}

/* x/2 mod m (m odd), for x < m. */
static void half_mod(const mont *c, fe *x) {
  if (x->v[0] & 1) {
    limb carry = add_raw(x->v, x->v, c->m.v);
    rshift1(x, carry);
  } else {
    rshift1(x, 0);
  }
}

/* a^-1 mod m by the binary extended Euclidean algorithm, plain form, 1 <= a < m. VARIABLE TIME:
 * use it on public values, or on values blinded by a random factor (mont_inv_blinded). */
static void vt_inverse(const mont *c, fe *r, const fe *a) {
  fe u = *a, v = c->m, x1 = {{1, 0, 0, 0, 0, 0}}, x2 = {{0}};
  while (!is_one(&u) && !is_one(&v)) {
    while (!(u.v[0] & 1)) {
      rshift1(&u, 0);
      half_mod(c, &x1);
    }
    while (!(v.v[0] & 1)) {
      rshift1(&v, 0);
      half_mod(c, &x2);
    }
    if (geq(&u, &v)) {
      sub_raw(u.v, u.v, v.v);
      mod_sub(c, &x1, &x1, &x2);
    } else {
      sub_raw(v.v, v.v, u.v);
      mod_sub(c, &x2, &x2, &x1);
    }
  }
  *r = is_one(&u) ? x1 : x2;
}

/* a^-1 in Montgomery form (in and out), variable time; a must be non-zero. */
static void mont_inv_vt(const mont *c, fe *r, const fe *a) {
  fe plain;
  vt_inverse(c, &plain, a);          /* (aR)^-1 */
  mont_mul(c, r, &plain, &c->r3);    /* (aR)^-1 · R^3 · R^-1 = a^-1 R */
}

/* a^-1 in Montgomery form for a secret a: the variable-time inversion runs on a·b for a random
 * non-zero b (Montgomery form), so its timing depends only on a·b, which is uniformly random and
 * independent of a; then (a·b)^-1 · b = a^-1. Falls back to Fermat if b is zero. */
static void mont_inv_blinded(const mont *c, fe *r, const fe *a, const fe *b) {
  if (fe_is_zero_mask(b)) {
    mont_inv(c, r, a);
    return;
  }
  fe ab, inv;
  mont_mul(c, &ab, a, b);
  if (fe_is_zero_mask(&ab)) { /* a = 0: no inverse; keep the Fermat result (0) */
    mont_inv(c, r, a);
    return;
  }
  mont_inv_vt(c, &inv, &ab);
  mont_mul(c, r, &inv, b);
}

static void mont_init(mont *c, const uint8_t m_be[48]) {
  fe_from_be(&c->m, m_be);
  /* -m^-1 mod 2^64 by Newton's iteration (m odd). */
  limb inv = 1;
  for (int i = 0; i < 7; i++) inv *= 2 - c->m.v[0] * inv;
  c->m0inv = (limb)0 - inv;
  /* R mod m, then R^2 mod m by 384 modular doublings. */
  fe one = {{1, 0, 0, 0, 0, 0}};
  fe x = one;
  for (int i = 0; i < 384; i++) mod_add(c, &x, &x, &x);
  c->one = x;
  for (int i = 0; i < 384; i++) mod_add(c, &x, &x, &x);
  c->r2 = x;
  mont_mul(c, &c->r3, &c->r2, &c->r2);
  fe two = {{2, 0, 0, 0, 0, 0}};
  sub_raw(c->m_minus_2.v, c->m.v, two.v);
}

/* ---------- the curve ---------- */

static mont FP, FN;      /* field and scalar contexts */
static fe B_M;           /* b in Montgomery form */
static aff G_M;          /* the generator, Montgomery form */
#define COMB_W 6                           /* bits per signed digit */
#define COMB_ROWS 65                       /* ceil(384 / 6) + 1 for the final carry */
#define COMB_COLS (1 << (COMB_W - 1))      /* |digit| = 1..32 */
static aff COMB[COMB_ROWS][COMB_COLS];     /* COMB[i][j] = (j+1)·2^(6i)·G, affine, Montgomery form */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

#define FMUL(r, a, b) mont_mul(&FP, (r), (a), (b))
#define FSQR(r, a) mont_sqr(&FP, (r), (a))
#define FADD(r, a, b) mod_add(&FP, (r), (a), (b))
#define FSUB(r, a, b) mod_sub(&FP, (r), (a), (b))

static void point_double(jac *r, const jac *p) {
  /* dbl-2001-b (a = -3); infinity (Z = 0) maps to infinity. */
  fe delta, gamma, beta, alpha, t0, t1, x3, y3, z3;
  FSQR(&delta, &p->z);
  FSQR(&gamma, &p->y);
  FMUL(&beta, &p->x, &gamma);
  FSUB(&t0, &p->x, &delta);
  FADD(&t1, &p->x, &delta);
  FMUL(&alpha, &t0, &t1);
  FADD(&t0, &alpha, &alpha);
  FADD(&alpha, &t0, &alpha);
  FSQR(&x3, &alpha);
  FADD(&t0, &beta, &beta);   /* 2β */
  FADD(&t0, &t0, &t0);       /* 4β */
  FADD(&t1, &t0, &t0);       /* 8β */
  FSUB(&x3, &x3, &t1);
  FADD(&t1, &p->y, &p->z);
  FSQR(&z3, &t1);
  FSUB(&z3, &z3, &gamma);
  FSUB(&z3, &z3, &delta);
  FSUB(&t0, &t0, &x3);       /* 4β - X3 */
  FMUL(&y3, &alpha, &t0);
  FSQR(&t1, &gamma);
  FADD(&t1, &t1, &t1);
  FADD(&t1, &t1, &t1);
  FADD(&t1, &t1, &t1);       /* 8γ² */
  FSUB(&y3, &y3, &t1);
  r->x = x3; r->y = y3; r->z = z3;
}

/* madd-2007-bl: r = p + q with q affine. Undefined when p is infinity or p = ±q (callers ensure
 * or mask that). */
static void point_add_mixed(jac *r, const jac *p, const aff *q) {
  fe z1z1, u2, s2, h, hh, i, j, rr, v, t, x3, y3, z3;
  FSQR(&z1z1, &p->z);
  FMUL(&u2, &q->x, &z1z1);
  FMUL(&t, &p->z, &z1z1);
  FMUL(&s2, &q->y, &t);
  FSUB(&h, &u2, &p->x);
  FSQR(&hh, &h);
  FADD(&i, &hh, &hh);
  FADD(&i, &i, &i);
  FMUL(&j, &h, &i);
  FSUB(&rr, &s2, &p->y);
  FADD(&rr, &rr, &rr);
  FMUL(&v, &p->x, &i);
  FSQR(&x3, &rr);
  FSUB(&x3, &x3, &j);
  FSUB(&x3, &x3, &v);
  FSUB(&x3, &x3, &v);
  FSUB(&t, &v, &x3);
  FMUL(&y3, &rr, &t);
  FMUL(&t, &p->y, &j);
  FADD(&t, &t, &t);
  FSUB(&y3, &y3, &t);
  FADD(&t, &p->z, &h);
  FSQR(&z3, &t);
  FSUB(&z3, &z3, &z1z1);
  FSUB(&z3, &z3, &hh);
  r->x = x3; r->y = y3; r->z = z3;
}

static int is_infinity(const jac *p) { return fe_is_zero_mask(&p->z) != 0; }

/* add-2007-bl with every exceptional case handled (variable time: public inputs only). */
static void point_add(jac *r, const jac *p, const jac *q) {
  if (is_infinity(p)) { *r = *q; return; }
  if (is_infinity(q)) { *r = *p; return; }
  fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t, x3, y3, z3;
  FSQR(&z1z1, &p->z);
  FSQR(&z2z2, &q->z);
  FMUL(&u1, &p->x, &z2z2);
  FMUL(&u2, &q->x, &z1z1);
  FMUL(&t, &q->z, &z2z2);
  FMUL(&s1, &p->y, &t);
  FMUL(&t, &p->z, &z1z1);
  FMUL(&s2, &q->y, &t);
  FSUB(&h, &u2, &u1);
  FSUB(&rr, &s2, &s1);
  if (fe_is_zero_mask(&h)) {
    if (fe_is_zero_mask(&rr)) { point_double(r, p); return; }
    memset(r, 0, sizeof *r); /* p = -q */
    return;
  }
  FADD(&rr, &rr, &rr);
  FADD(&i, &h, &h);
  FSQR(&i, &i);
  FMUL(&j, &h, &i);
  FMUL(&v, &u1, &i);
  FSQR(&x3, &rr);
  FSUB(&x3, &x3, &j);
  FSUB(&x3, &x3, &v);
  FSUB(&x3, &x3, &v);
  FSUB(&t, &v, &x3);
  FMUL(&y3, &rr, &t);
  FMUL(&t, &s1, &j);
  FADD(&t, &t, &t);
  FSUB(&y3, &y3, &t);
  FADD(&t, &p->z, &q->z);
  FSQR(&z3, &t);
  FSUB(&z3, &z3, &z1z1);
  FSUB(&z3, &z3, &z2z2);
  FMUL(&z3, &z3, &h);
  r->x = x3; r->y = y3; r->z = z3;
}

static void from_affine(jac *r, const aff *a) {
  r->x = a->x;
  r->y = a->y;
  r->z = FP.one;
}

/* Fills table[i][j] = (j+1)·2^(6i)·P for a finite affine P (Montgomery form). Variable time:
 * P is public (the generator, or a verification key). */
static void comb_table(aff (*table)[COMB_COLS], const aff *p) {
  jac base;
  from_affine(&base, p);
  jac row[COMB_COLS];
  fe prefix[COMB_COLS];
  for (int i = 0; i < COMB_ROWS; i++) {
    row[0] = base;
    for (int j = 1; j < COMB_COLS; j++) point_add(&row[j], &row[j - 1], &base);
    /* the whole row to affine with one inversion (Montgomery's trick) */
    prefix[0] = row[0].z;
    for (int j = 1; j < COMB_COLS; j++) FMUL(&prefix[j], &prefix[j - 1], &row[j].z);
    fe inv;
    mont_inv_vt(&FP, &inv, &prefix[COMB_COLS - 1]);
    for (int j = COMB_COLS - 1; j >= 0; j--) {
      fe zinv, zinv2, zinv3;
      if (j > 0) {
        FMUL(&zinv, &inv, &prefix[j - 1]);
        FMUL(&inv, &inv, &row[j].z);
      } else {
        zinv = inv;
      }
      FSQR(&zinv2, &zinv);
      FMUL(&zinv3, &zinv2, &zinv);
      FMUL(&table[i][j].x, &row[j].x, &zinv2);
      FMUL(&table[i][j].y, &row[j].y, &zinv3);
    }
    /* next row's base: 2^6·base = 2·(32·base) */
    point_double(&base, &row[COMB_COLS - 1]);
  }
}

static void init_curve(void) {
  mont_init(&FP, P_BE);
  mont_init(&FN, N_BE);
  fe t;
  fe_from_be(&t, B_BE);
  to_mont(&FP, &B_M, &t);
  fe_from_be(&t, GX_BE);
  to_mont(&FP, &G_M.x, &t);
  fe_from_be(&t, GY_BE);
  to_mont(&FP, &G_M.y, &t);
  comb_table(COMB, &G_M);
}

static void ensure_init(void) { pthread_once(&init_once, init_curve); }

/* Bits [pos, pos + COMB_W) of k (zero beyond bit 383). */
static limb scalar_window(const fe *k, int pos) {
  int limb_i = pos / 64, shift = pos % 64;
  if (limb_i >= NL) return 0;
  limb w = k->v[limb_i] >> shift;
  if (shift > 64 - COMB_W && limb_i + 1 < NL) w |= k->v[limb_i + 1] << (64 - shift);
  return w & ((1u << COMB_W) - 1);
}

/* k·P from P's comb table, constant time in k (1 <= k < n, plain form). Result in Jacobian
 * Montgomery form. */
static void comb_mul(jac *r, const aff (*table)[COMB_COLS], const fe *k) {
  int8_t digit[COMB_ROWS];
  limb carry = 0;
  for (int i = 0; i < COMB_ROWS - 1; i++) {
    limb d = scalar_window(k, i * COMB_W) + carry;            /* 0..64 */
    carry = (d + COMB_COLS) >> COMB_W;                          /* 1 iff d >= 32 */
    digit[i] = (int8_t)((int32_t)d - (int32_t)(carry << COMB_W)); /* -32..31 */
  }
  digit[COMB_ROWS - 1] = (int8_t)carry;

  jac acc;
  memset(&acc, 0, sizeof acc);
  limb acc_inf = ~(limb)0;
  for (int i = 0; i < COMB_ROWS; i++) {
    int32_t d = digit[i];
    uint32_t neg = (uint32_t)d >> 31;
    uint32_t abs = ((uint32_t)d ^ (0u - neg)) + neg;   /* 0..32 */
    aff t;
    memset(&t, 0, sizeof t);
    for (uint32_t j = 0; j < COMB_COLS; j++) {
      limb m = (limb)0 - (limb)(((j + 1) ^ abs) == 0);
      for (int w = 0; w < NL; w++) {
        t.x.v[w] |= table[i][j].x.v[w] & m;
        t.y.v[w] |= table[i][j].y.v[w] & m;
      }
    }
    fe ny, zero = {{0}};
    FSUB(&ny, &zero, &t.y);
    fe_select(&t.y, (limb)0 - (limb)neg, &ny, &t.y);

    jac sum, tj;
    point_add_mixed(&sum, &acc, &t);
    from_affine(&tj, &t);
    limb nonzero = (limb)0 - (limb)((abs | (0u - abs)) >> 31);
    /* acc infinite: take t (if nonzero); else take the sum if nonzero, keep acc if zero */
    jac next;
    fe_select(&next.x, nonzero, &sum.x, &acc.x);
    fe_select(&next.y, nonzero, &sum.y, &acc.y);
    fe_select(&next.z, nonzero, &sum.z, &acc.z);
    limb take_t = acc_inf & nonzero;
    fe_select(&acc.x, take_t, &tj.x, &next.x);
    fe_select(&acc.y, take_t, &tj.y, &next.y);
    fe_select(&acc.z, take_t, &tj.z, &next.z);
    acc_inf &= ~nonzero;
  }
  *r = acc;
}

static void base_mul(jac *r, const fe *k) { comb_mul(r, (const aff (*)[COMB_COLS])COMB, k); }

/* Affine x of a finite Jacobian point, plain form; `blind` (Montgomery form, random) hides Z from
 * the variable-time inversion, NULL for public points. */
static void affine_x(fe *x, const jac *p, const fe *blind) {
  fe zinv, zinv2, xm;
  if (blind != NULL) mont_inv_blinded(&FP, &zinv, &p->z, blind);
  else mont_inv_vt(&FP, &zinv, &p->z);
  FSQR(&zinv2, &zinv);
  FMUL(&xm, &p->x, &zinv2);
  from_mont(&FP, x, &xm);
}

static int in_scalar_range(const fe *k) {
  fe d;
  limb lt_n = sub_raw(d.v, k->v, FN.m.v); /* 1 iff k < n */
  return lt_n == 1 && !fe_is_zero_mask(k);
}

int p384_base_mul_x(uint8_t x[48], const uint8_t k_be[48]) {
  ensure_init();
  fe k, xa;
  fe_from_be(&k, k_be);
  if (!in_scalar_range(&k)) return 0;
  jac r;
  base_mul(&r, &k);
  affine_x(&xa, &r, NULL);
  fe_to_be(x, &xa);
  return 1;
}

int p384_sign(uint8_t rs[96], const uint8_t d_be[48], const uint8_t e_be[48], const uint8_t seed[64], const uint8_t blind[96]) {
  ensure_init();
  fe d, e, k, hi, lo, t;
  fe_from_be(&d, d_be);
  if (!in_scalar_range(&d)) return 0;
  fe_from_be(&e, e_be);
  /* k = seed mod n = hi·2^384 + lo mod n, with hi the first 16 bytes. */
  uint8_t hi_be[48] = {0};
  memcpy(hi_be + 32, seed, 16);
  fe_from_be(&hi, hi_be);
  fe_from_be(&lo, seed + 16);
  mont_mul(&FN, &t, &hi, &FN.r2); /* hi·R mod n = hi·2^384 mod n */
  mod_reduce_once(&FN, &lo, &lo);
  mod_add(&FN, &k, &t, &lo);
  if (fe_is_zero_mask(&k)) return 0;

  /* blinding factors for the two inversions: any values mod p and mod n (reduced once) */
  fe bp, bn;
  fe_from_be(&bp, blind);
  mod_reduce_once(&FP, &bp, &bp);
  fe_from_be(&bn, blind + 48);
  mod_reduce_once(&FN, &bn, &bn);

  jac kg;
  fe r;
  base_mul(&kg, &k);
  affine_x(&r, &kg, &bp);
  mod_reduce_once(&FN, &r, &r);
  if (fe_is_zero_mask(&r)) return 0;

  /* s = k^-1 (e + r·d) mod n, in Montgomery form mod n. */
  fe km, kinv, rm, dm, em, s;
  to_mont(&FN, &km, &k);
  mont_inv_blinded(&FN, &kinv, &km, &bn);
  to_mont(&FN, &rm, &r);
  to_mont(&FN, &dm, &d);
  to_mont(&FN, &em, &e);  /* e < 2^384 = R and r2 < n, so e·r2 < n·R */
  mont_mul(&FN, &t, &rm, &dm);
  mod_add(&FN, &t, &t, &em);
  mont_mul(&FN, &s, &kinv, &t);
  from_mont(&FN, &s, &s);
  if (fe_is_zero_mask(&s)) return 0;
  fe_to_be(rs, &r);
  fe_to_be(rs + 48, &s);
  /* wipe the secrets this frame held */
  volatile uint8_t *w = (volatile uint8_t *)&k;
  for (size_t i = 0; i < sizeof k; i++) w[i] = 0;
  w = (volatile uint8_t *)&kinv;
  for (size_t i = 0; i < sizeof kinv; i++) w[i] = 0;
  w = (volatile uint8_t *)&km;
  for (size_t i = 0; i < sizeof km; i++) w[i] = 0;
  return 1;
}

/* Variable-time k·P with a 4-bit window (public scalar and point). */
static void var_mul(jac *r, const fe *k, const jac *p) {
  jac tbl[16];
  memset(&tbl[0], 0, sizeof tbl[0]);
  tbl[1] = *p;
  for (int j = 2; j < 16; j++) point_add(&tbl[j], &tbl[j - 1], p);
  jac acc;
  memset(&acc, 0, sizeof acc);
  for (int i = 95; i >= 0; i--) {
    for (int j = 0; j < 4; j++) point_double(&acc, &acc);
    unsigned nib = (unsigned)((k->v[i / 16] >> ((i % 16) * 4)) & 15);
    if (nib != 0) point_add(&acc, &acc, &tbl[nib]);
  }
  *r = acc;
}

/* Parses and validates an uncompressed point (coordinates < p, on the curve) into Montgomery form. */
static int parse_point(aff *q, const uint8_t q_oct[97]) {
  if (q_oct[0] != 0x04) return 0;
  fe qx, qy, tmp;
  fe_from_be(&qx, q_oct + 1);
  fe_from_be(&qy, q_oct + 49);
  if (sub_raw(tmp.v, qx.v, FP.m.v) == 0 || sub_raw(tmp.v, qy.v, FP.m.v) == 0) return 0; /* >= p */
  to_mont(&FP, &q->x, &qx);
  to_mont(&FP, &q->y, &qy);
  /* y² = x³ - 3x + b */
  fe lhs, rhs, t;
  FSQR(&lhs, &q->y);
  FSQR(&rhs, &q->x);
  FMUL(&rhs, &rhs, &q->x);
  FADD(&t, &q->x, &q->x);
  FADD(&t, &t, &q->x);
  FSUB(&rhs, &rhs, &t);
  FADD(&rhs, &rhs, &B_M);
  return fe_equal(&lhs, &rhs);
}

/* The shared verification: q valid and finite; qtable its comb table or NULL. */
static int verify_with(const aff *q, const aff (*qtable)[COMB_COLS], const uint8_t e_be[48], const uint8_t r_be[48], const uint8_t s_be[48]) {
  fe r, s, e;
  fe_from_be(&r, r_be);
  fe_from_be(&s, s_be);
  fe_from_be(&e, e_be);
  if (!in_scalar_range(&r) || !in_scalar_range(&s)) return 0;
  /* w = s^-1, u1 = e·w, u2 = r·w (mod n) */
  fe sm, wm, em, rm, u1, u2;
  to_mont(&FN, &sm, &s);
  mont_inv_vt(&FN, &wm, &sm);
  to_mont(&FN, &em, &e);
  to_mont(&FN, &rm, &r);
  mont_mul(&FN, &u1, &em, &wm);
  from_mont(&FN, &u1, &u1);
  mont_mul(&FN, &u2, &rm, &wm);
  from_mont(&FN, &u2, &u2);

  jac a, b, sum;
  if (fe_is_zero_mask(&u1)) memset(&a, 0, sizeof a);
  else base_mul(&a, &u1);
  if (qtable != NULL) {
    comb_mul(&b, qtable, &u2);
  } else {
    jac qj;
    from_affine(&qj, q);
    var_mul(&b, &u2, &qj);
  }
  point_add(&sum, &a, &b);
  if (is_infinity(&sum)) return 0;
  fe x;
  affine_x(&x, &sum, NULL);
  mod_reduce_once(&FN, &x, &x);
  return fe_equal(&x, &r);
}

int p384_verify(const uint8_t q_oct[97], const uint8_t e_be[48], const uint8_t r_be[48], const uint8_t s_be[48]) {
  ensure_init();
  aff q;
  if (!parse_point(&q, q_oct)) return 0;
  return verify_with(&q, NULL, e_be, r_be, s_be);
}

int p384_key_table(void *table, const uint8_t q_oct[97]) {
  ensure_init();
  aff q;
  if (!parse_point(&q, q_oct)) return 0;
  comb_table((aff (*)[COMB_COLS])table, &q);
  return 1;
}

int p384_verify_table(const void *table, const uint8_t e_be[48], const uint8_t r_be[48], const uint8_t s_be[48]) {
  ensure_init();
  const aff (*t)[COMB_COLS] = (const aff (*)[COMB_COLS])table;
  return verify_with(&t[0][0], t, e_be, r_be, s_be);
}

size_t p384_key_table_size(void) { return sizeof(aff) * COMB_ROWS * COMB_COLS; }
