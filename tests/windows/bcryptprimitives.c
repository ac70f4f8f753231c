/*
 * TEST-ONLY stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks: Rust's standard
 * library (inside odeme.dll) takes its random numbers from bcryptprimitives!ProcessPrng, present
 * on every Windows 10 and later. scripts/test-windows builds this with mingw and puts it beside
 * the test programs that run under Wine; it is never built into or shipped with odeme.dll.
 *
 * ProcessPrng fills the buffer from advapi32!SystemFunction036 (RtlGenRandom), the system's
 * random number generator. ProcessPrng is documented never to fail, so its callers do not check
 * it: where SystemFunction036 fails, this aborts the process rather than return bytes that are
 * not random.
 */
#include <stdlib.h>
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) abort();
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
