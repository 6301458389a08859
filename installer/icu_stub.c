/* ICU without ICU: the 31 functions libQt6Core imports, each reporting U_UNSUPPORTED_ERROR.
 *
 * Built by installer/icu_data.py (``ICU=stub``) into libicuuc.so.NN, next to empty
 * libicui18n.so.NN and libicudata.so.NN, so libQt6Core loads without 8.7 MB of ICU. Qt
 * checks every one of these calls and falls back to its own code (qlocale_icu.cpp,
 * qcollator_icu.cpp, qstringconverter.cpp, qtimezoneprivate_icu.cpp):
 *   - QLocale::toUpper/toLower: Qt's locale-independent case mapping (no Turkish dotted I);
 *   - QCollator: code-point order, after a "Could not create collator" warning;
 *   - QStringConverter/QStringDecoder: UTF-8/16/32, Latin-1 and the locale codec only;
 *   - QTimeZone::displayName: the zone abbreviation.
 * Text editing, input methods, cursor movement, rendering and sentence boundaries never
 * reach ICU (tests/installer/test_icu_data.py compares them with the real ICU).
 * ICU_SUFFIX is ICU's symbol-renaming suffix, e.g. _73.
 */
#include <stddef.h>
#include <stdint.h>

typedef uint16_t UChar;
typedef int UErrorCode;
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define F(name) CAT(name, ICU_SUFFIX) /* every function is exported (default visibility) */
#define FAIL(e) do { if ((e) != NULL && *(e) <= 0) *(e) = 16; } while (0) /* U_UNSUPPORTED_ERROR */

void F(UCNV_FROM_U_CALLBACK_SUBSTITUTE)(void) {}
void F(UCNV_TO_U_CALLBACK_SUBSTITUTE)(void) {}

int32_t F(u_strToLower)(UChar *d, int32_t cap, const UChar *s, int32_t n, const char *loc, UErrorCode *e) { FAIL(e); return 0; }
int32_t F(u_strToUpper)(UChar *d, int32_t cap, const UChar *s, int32_t n, const char *loc, UErrorCode *e) { FAIL(e); return 0; }

void *F(ucal_open)(const UChar *zone, int32_t n, const char *loc, int type, UErrorCode *e) { FAIL(e); return NULL; }
void F(ucal_close)(void *cal) {}
int32_t F(ucal_getCanonicalTimeZoneID)(const UChar *id, int32_t n, UChar *out, int32_t cap, int8_t *system, UErrorCode *e) { FAIL(e); return 0; }
int32_t F(ucal_getTimeZoneDisplayName)(const void *cal, int type, const char *loc, UChar *out, int32_t cap, UErrorCode *e) { FAIL(e); return 0; }

void *F(ucnv_open)(const char *name, UErrorCode *e) { FAIL(e); return NULL; }
void F(ucnv_close)(void *cnv) {}
void F(ucnv_reset)(void *cnv) {}
int32_t F(ucnv_countAvailable)(void) { return 0; }
const char *F(ucnv_getAvailableName)(int32_t n) { return NULL; }
const char *F(ucnv_getName)(const void *cnv, UErrorCode *e) { FAIL(e); return NULL; }
const char *F(ucnv_getStandardName)(const char *name, const char *standard, UErrorCode *e) { FAIL(e); return NULL; }
int8_t F(ucnv_getMaxCharSize)(const void *cnv) { return 1; }
int32_t F(ucnv_fromUCountPending)(const void *cnv, UErrorCode *e) { FAIL(e); return 0; }
int32_t F(ucnv_toUCountPending)(const void *cnv, UErrorCode *e) { FAIL(e); return 0; }
void F(ucnv_fromUnicode)(void *cnv, char **t, const char *tl, const UChar **s, const UChar *sl, int32_t *o, int8_t flush, UErrorCode *e) { FAIL(e); }
void F(ucnv_toUnicode)(void *cnv, UChar **t, const UChar *tl, const char **s, const char *sl, int32_t *o, int8_t flush, UErrorCode *e) { FAIL(e); }
void F(ucnv_getFromUCallBack)(const void *cnv, void **action, const void **context) { if (action) *action = NULL; if (context) *context = NULL; }
void F(ucnv_getToUCallBack)(const void *cnv, void **action, const void **context) { if (action) *action = NULL; if (context) *context = NULL; }
void F(ucnv_setFromUCallBack)(void *cnv, void *action, const void *context, void **old, const void **oldContext, UErrorCode *e) { FAIL(e); }
void F(ucnv_setToUCallBack)(void *cnv, void *action, const void *context, void **old, const void **oldContext, UErrorCode *e) { FAIL(e); }
void F(ucnv_cbFromUWriteUChars)(void *args, const UChar **s, const UChar *sl, int32_t offset, UErrorCode *e) { FAIL(e); }
void F(ucnv_cbToUWriteUChars)(void *args, const UChar *s, int32_t n, int32_t offset, UErrorCode *e) { FAIL(e); }

void *F(ucol_open)(const char *loc, UErrorCode *e) { FAIL(e); return NULL; }
void F(ucol_close)(void *coll) {}
void F(ucol_setAttribute)(void *coll, int attribute, int value, UErrorCode *e) { FAIL(e); }
int F(ucol_strcoll)(const void *coll, const UChar *a, int32_t an, const UChar *b, int32_t bn) { return 0; }
int32_t F(ucol_getSortKey)(const void *coll, const UChar *s, int32_t n, uint8_t *out, int32_t cap) { return 0; }
