/* A stand-in for numpy's bundled OpenBLAS (libscipy_openblas64_, 25 MB + gfortran 3 MB).
 *
 * Built by installer/noblas.py with the same SONAME and the exact symbols numpy's two
 * extensions import (SYMBOL_PREFIX scipy_, 64-bit integers, suffix 64_ / _64_):
 *
 *  - CBLAS (numpy._core: dot, matmul, vdot, inner, A @ A.T): straightforward reference loops,
 *    correct for every layout, transpose and stride numpy passes (tests/installer/test_noblas.py
 *    compares them with OpenBLAS), just not fast. The app's runtime calls none of them (its
 *    numpy work is sampling: softmax, sorting, numpy.random); ONNX Runtime has its own kernels.
 *  - LAPACK (numpy.linalg): not available; a call prints why and aborts (see below).
 */
#include <complex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int64_t blasint;
enum { RowMajor = 101, ColMajor = 102 };
enum { NoTrans = 111, Trans = 112, ConjTrans = 113, ConjNoTrans = 114 };
enum { Upper = 121, Lower = 122 };

#define EXPORT __attribute__((visibility("default")))
#define AT(p, layout, ld, r, c) (p)[(layout) == RowMajor ? (r) * (ld) + (c) : (r) + (c) * (ld)]
#define START(n, inc) ((inc) < 0 ? (1 - (n)) * (inc) : 0)

static float conj_s(float x) { return x; }
static double conj_d(double x) { return x; }
static float complex conj_c(float complex x) { return conjf(x); }
static double complex conj_z(double complex x) { return conj(x); }

/* op(A)(i, k) for a matrix stored with `layout` and leading dimension ld. */
#define OP(T, ch, p, layout, ld, trans, i, k)                                                  \
    ((trans) == NoTrans ? AT(p, layout, ld, i, k)                                               \
     : (trans) == Trans ? AT(p, layout, ld, k, i)                                               \
     : (trans) == ConjTrans ? conj_##ch(AT(p, layout, ld, k, i)) : conj_##ch(AT(p, layout, ld, i, k)))

#define GEMM_BODY(T, ch)                                                                        \
    for (blasint i = 0; i < M; i++)                                                             \
        for (blasint j = 0; j < N; j++) {                                                       \
            T sum = 0;                                                                          \
            for (blasint k = 0; k < K; k++)                                                     \
                sum += OP(T, ch, A, layout, lda, ta, i, k) * OP(T, ch, B, layout, ldb, tb, k, j); \
            T *c = &AT(C, layout, ldc, i, j);                                                   \
            *c = beta == (T)0 ? alpha * sum : alpha * sum + beta * *c;                          \
        }

#define GEMV_BODY(T, ch)                                                                        \
    blasint rows = ta == NoTrans || ta == ConjNoTrans ? M : N, cols = ta == NoTrans || ta == ConjNoTrans ? N : M; \
    X += START(cols, incx);                                                                     \
    Y += START(rows, incy);                                                                     \
    for (blasint i = 0; i < rows; i++) {                                                        \
        T sum = 0;                                                                              \
        for (blasint k = 0; k < cols; k++) sum += OP(T, ch, A, layout, lda, ta, i, k) * X[k * incx]; \
        T *y = &Y[i * incy];                                                                    \
        *y = beta == (T)0 ? alpha * sum : alpha * sum + beta * *y;                              \
    }

#define SYRK_BODY(T, ch)                                                                        \
    for (blasint i = 0; i < N; i++)                                                             \
        for (blasint j = (uplo == Upper ? i : 0); j < (uplo == Upper ? N : i + 1); j++) {       \
            T sum = 0;                                                                          \
            for (blasint k = 0; k < K; k++)                                                     \
                sum += (ta == NoTrans ? AT(A, layout, lda, i, k) * AT(A, layout, lda, j, k)     \
                                      : AT(A, layout, lda, k, i) * AT(A, layout, lda, k, j));   \
            T *c = &AT(C, layout, ldc, i, j);                                                   \
            *c = beta == (T)0 ? alpha * sum : alpha * sum + beta * *c;                          \
        }

#define DOT_BODY(T, conjugate)                                                                  \
    T sum = 0;                                                                                  \
    X += START(n, incx);                                                                        \
    Y += START(n, incy);                                                                        \
    for (blasint i = 0; i < n; i++) sum += (conjugate) * Y[i * incy];                           \

#define AXPY_BODY                                                                               \
    X += START(n, incx);                                                                        \
    Y += START(n, incy);                                                                        \
    for (blasint i = 0; i < n; i++) Y[i * incy] += alpha * X[i * incx];

#define REAL(T, ch)                                                                             \
    EXPORT void scipy_cblas_##ch##gemm64_(int layout, int ta, int tb, blasint M, blasint N, blasint K, T alpha, \
                                          const T *A, blasint lda, const T *B, blasint ldb, T beta, T *C, blasint ldc) \
    { GEMM_BODY(T, ch) }                                                                        \
    EXPORT void scipy_cblas_##ch##gemv64_(int layout, int ta, blasint M, blasint N, T alpha, const T *A, blasint lda, \
                                          const T *X, blasint incx, T beta, T *Y, blasint incy) \
    { GEMV_BODY(T, ch) }                                                                        \
    EXPORT void scipy_cblas_##ch##syrk64_(int layout, int uplo, int ta, blasint N, blasint K, T alpha, const T *A, \
                                          blasint lda, T beta, T *C, blasint ldc)               \
    { SYRK_BODY(T, ch) }                                                                        \
    EXPORT T scipy_cblas_##ch##dot64_(blasint n, const T *X, blasint incx, const T *Y, blasint incy) \
    { DOT_BODY(T, X[i * incx]) return sum; }                                                    \
    EXPORT void scipy_cblas_##ch##axpy64_(blasint n, T alpha, const T *X, blasint incx, T *Y, blasint incy) \
    { AXPY_BODY }

#define CPLX(T, ch)                                                                             \
    EXPORT void scipy_cblas_##ch##gemm64_(int layout, int ta, int tb, blasint M, blasint N, blasint K, const void *a, \
                                          const void *A_, blasint lda, const void *B_, blasint ldb, const void *b, \
                                          void *C_, blasint ldc)                                \
    { T alpha = *(const T *)a, beta = *(const T *)b; const T *A = A_, *B = B_; T *C = C_; GEMM_BODY(T, ch) } \
    EXPORT void scipy_cblas_##ch##gemv64_(int layout, int ta, blasint M, blasint N, const void *a, const void *A_, \
                                          blasint lda, const void *X_, blasint incx, const void *b, void *Y_, \
                                          blasint incy)                                         \
    { T alpha = *(const T *)a, beta = *(const T *)b; const T *A = A_, *X = X_; T *Y = Y_; GEMV_BODY(T, ch) } \
    EXPORT void scipy_cblas_##ch##syrk64_(int layout, int uplo, int ta, blasint N, blasint K, const void *a, \
                                          const void *A_, blasint lda, const void *b, void *C_, blasint ldc) \
    { T alpha = *(const T *)a, beta = *(const T *)b; const T *A = A_; T *C = C_; SYRK_BODY(T, ch) } \
    EXPORT void scipy_cblas_##ch##dotu_sub64_(blasint n, const void *X_, blasint incx, const void *Y_, blasint incy, \
                                              void *out)                                        \
    { const T *X = X_, *Y = Y_; DOT_BODY(T, X[i * incx]) *(T *)out = sum; }                     \
    EXPORT void scipy_cblas_##ch##dotc_sub64_(blasint n, const void *X_, blasint incx, const void *Y_, blasint incy, \
                                              void *out)                                        \
    { const T *X = X_, *Y = Y_; DOT_BODY(T, conj_##ch(X[i * incx])) *(T *)out = sum; }          \
    EXPORT void scipy_cblas_##ch##axpy64_(blasint n, const void *a, const void *X_, blasint incx, void *Y_, \
                                          blasint incy)                                         \
    { T alpha = *(const T *)a; const T *X = X_; T *Y = Y_; AXPY_BODY }

REAL(float, s)
REAL(double, d)
CPLX(float complex, c)
CPLX(double complex, z)

/* BLAS copy (Fortran interface: every argument by pointer), used by numpy.linalg's wrappers. */
#define COPY(T, ch)                                                                             \
    EXPORT void scipy_##ch##copy_64_(const blasint *n_, const T *X, const blasint *incx_, T *Y, const blasint *incy_) \
    { blasint n = *n_, incx = *incx_, incy = *incy_; X += START(n, incx); Y += START(n, incy);  \
      for (blasint i = 0; i < n; i++) Y[i * incy] = X[i * incx]; }
COPY(float, s)
COPY(double, d)
COPY(float complex, c)
COPY(double complex, z)

/* LAPACK: not here. numpy.linalg stops the process with a message rather than return a wrong
 * answer (an error code would make numpy.linalg.det silently return 0). The app never calls it. */
#define LAPACK(name)                                                                            \
    EXPORT void scipy_##name##_64_(void)                                                        \
    { fprintf(stderr, "numpy.linalg (%s) is not available: this build of numpy carries no LAPACK\n", #name); abort(); }

LAPACK(sgesv) LAPACK(dgesv) LAPACK(cgesv) LAPACK(zgesv)
LAPACK(sgetrf) LAPACK(dgetrf) LAPACK(cgetrf) LAPACK(zgetrf)
LAPACK(spotrf) LAPACK(dpotrf) LAPACK(cpotrf) LAPACK(zpotrf)
LAPACK(sgeev) LAPACK(dgeev) LAPACK(cgeev) LAPACK(zgeev)
LAPACK(ssyevd) LAPACK(dsyevd) LAPACK(cheevd) LAPACK(zheevd)
LAPACK(sgesdd) LAPACK(dgesdd) LAPACK(cgesdd) LAPACK(zgesdd)
LAPACK(sgelsd) LAPACK(dgelsd) LAPACK(cgelsd) LAPACK(zgelsd)
LAPACK(dgeqrf) LAPACK(zgeqrf) LAPACK(dorgqr) LAPACK(zungqr)
