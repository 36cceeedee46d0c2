/*
 * LD_PRELOAD shim for btvirt on kernels without AF_ALG sockets.
 *
 * btvirt creates its emulated LE controllers only after it has opened the kernel's AES
 * sockets (socket(AF_ALG) then bind to "ecb(aes)" and "cmac(aes)"). This kernel refuses
 * AF_ALG, so every LE controller would fail to appear. The shim hands btvirt a harmless
 * Unix socket instead and lets the bind succeed. Plain GATT never touches the crypto;
 * pairing and encryption would, and so cannot be tested through btvirt here.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/socket.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif

typedef int (*socket_fn)(int, int, int);
typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

int socket(int domain, int type, int protocol) {
  static socket_fn real_socket;
  if (!real_socket) real_socket = (socket_fn)dlsym(RTLD_NEXT, "socket");
  if (domain == AF_ALG) return real_socket(AF_UNIX, SOCK_SEQPACKET | (type & SOCK_CLOEXEC), 0);
  return real_socket(domain, type, protocol);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  static bind_fn real_bind;
  if (!real_bind) real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
  if (addr && addr->sa_family == AF_ALG) return 0;
  return real_bind(fd, addr, len);
}
