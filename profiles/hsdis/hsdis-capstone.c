/*
 * HotSpot's disassembler plugin (hsdis) on the Capstone library, so that -XX:+PrintAssembly prints instructions
 * instead of raw bytes. HotSpot loads hsdis-<arch>.so from the library path and calls decode_instructions_virtual
 * once per code range; this is the whole protocol. Built by profiles/print-assembly.sh.
 */
#include <inttypes.h>
#include <stdio.h>
#include <capstone/capstone.h>

typedef void* (*event_callback)(void* stream, const char* event, void* arg);
typedef int (*printf_callback)(void* stream, const char* format, ...);

static void* ignore_event(void* stream, const char* event, void* arg) {
    return NULL;
}

void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
                                  event_callback event, void* event_stream,
                                  printf_callback print, void* print_stream,
                                  const char* options, int newline) {
    if (print == NULL) {
        print = (printf_callback) &fprintf;
        if (print_stream == NULL) {
            print_stream = stdout;
        }
    }
    if (event == NULL) {
        event = &ignore_event;
    }
#if defined(__x86_64__)
    cs_arch arch = CS_ARCH_X86;
    cs_mode mode = CS_MODE_64;
#elif defined(__aarch64__)
    cs_arch arch = CS_ARCH_ARM64;
    cs_mode mode = CS_MODE_ARM;
#else
#error "hsdis: only x86-64 and AArch64"
#endif
    csh handle;
    if (cs_open(arch, mode, &handle) != CS_ERR_OK) {
        print(print_stream, "hsdis: Capstone could not open a disassembler\n");
        return NULL;
    }
#if defined(__x86_64__)
    cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
#endif
    /* Constants and padding between instructions are printed as data instead of ending the listing. */
    cs_option(handle, CS_OPT_SKIPDATA, CS_OPT_ON);
    cs_insn* insn;
    size_t count = cs_disasm(handle, buffer, length, (uint64_t) start_va, 0, &insn);
    for (size_t i = 0; i < count; i++) {
        event(event_stream, "insn", (void*) (uintptr_t) insn[i].address);
        print(print_stream, "%s\t\t%s", insn[i].mnemonic, insn[i].op_str);
        event(event_stream, "/insn", (void*) (uintptr_t) (insn[i].address + insn[i].size));
        if (newline) {
            print(print_stream, "\n");
        }
    }
    if (count > 0) {
        cs_free(insn, count);
    }
    cs_close(&handle);
    return NULL;
}
