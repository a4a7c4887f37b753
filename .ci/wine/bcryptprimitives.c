/* Test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8.0 (Debian 12) lacks.
 * Rust's standard library (1.78 and later) takes its random bytes from ProcessPrng in that
 * DLL, present on every Windows 10/11; this one answers through RtlGenRandom so the
 * Windows binary can be tested under Wine. It is never shipped. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
