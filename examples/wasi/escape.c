// Tries to reach outside the preopened directory (fd 3) through raw WASI calls, bypassing
// libc's own path checks so that the host's sandbox is what gets tested. Prints one line per
// attempt: a label and the errno the host returned (0 = success). The host side (the test)
// lays out the tree: see packages/wasi/test/sandbox-escape.test.ts.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define DIR_FD 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET)
#define WRITE_RIGHTS (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK)

static void report(const char *label, __wasi_errno_t error) { printf("%s %d\n", label, error); }

static __wasi_errno_t open_at(const char *path, __wasi_lookupflags_t lookup, __wasi_oflags_t oflags,
                              __wasi_rights_t rights) {
  __wasi_fd_t fd;
  __wasi_errno_t error = __wasi_path_open(DIR_FD, lookup, path, oflags, rights, 0, 0, &fd);
  if (error == 0) {
    // Prove what was opened: a successful read of an outside file would print its contents.
    char buf[32] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    if ((rights & __WASI_RIGHTS_FD_READ) && (oflags & __WASI_OFLAGS_DIRECTORY) == 0 &&
        __wasi_fd_read(fd, &iov, 1, &n) == 0 && n > 0)
      printf("  read: %.*s\n", (int)strcspn(buf, "\n"), buf);
    (void)!__wasi_fd_close(fd);
  }
  return error;
}

static void try_open(const char *path) {
  char label[128];
  snprintf(label, sizeof label, "open %s", path);
  report(label, open_at(path, FOLLOW, 0, READ_RIGHTS));
}

static void try_create(const char *path) {
  char label[128];
  snprintf(label, sizeof label, "create %s", path);
  report(label, open_at(path, FOLLOW, __WASI_OFLAGS_CREAT, WRITE_RIGHTS));
}

static void try_opendir(const char *path) {
  char label[128];
  snprintf(label, sizeof label, "opendir %s", path);
  __wasi_fd_t fd;
  __wasi_errno_t error = __wasi_path_open(DIR_FD, FOLLOW, path, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  report(label, error);
  if (error == 0) {
    // List it: names of an outside directory must never appear.
    uint8_t buf[1024];
    __wasi_size_t used = 0;
    if (__wasi_fd_readdir(fd, buf, sizeof buf, 0, &used) == 0) {
      for (__wasi_size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
        __wasi_dirent_t entry;
        memcpy(&entry, buf + at, sizeof entry);
        at += sizeof entry;
        if (at + entry.d_namlen > used) break;
        printf("  entry: %.*s\n", (int)entry.d_namlen, (const char *)buf + at);
        at += entry.d_namlen;
      }
    }
    (void)!__wasi_fd_close(fd);
  }
}

static void try_stat(const char *path, __wasi_lookupflags_t flags) {
  char label[128];
  snprintf(label, sizeof label, "stat%s %s", flags ? "" : "-nofollow", path);
  __wasi_filestat_t st;
  report(label, __wasi_path_filestat_get(DIR_FD, flags, path, &st));
}

int main(void) {
  // Lexical escapes and absolute paths.
  try_open("../outside/secret.txt");
  try_open("dir/../../outside/secret.txt");
  try_open("/etc/passwd");
  try_open("dir/../dir/file.txt");  // stays inside: allowed
  // Symlinks planted by the host: absolute, relative, in an intermediate directory, chained.
  try_open("abs_link/secret.txt");
  try_open("rel_link/secret.txt");
  try_open("dir/inner_link/secret.txt");
  try_open("chain1/secret.txt");
  try_open("abs_file_link");
  try_open("ok_link/file.txt");  // a symlink that stays inside: allowed
  try_open("loop1");
  try_stat("abs_file_link", FOLLOW);
  try_stat("abs_file_link", 0);  // the link itself lives inside: allowed
  try_stat("rel_link/secret.txt", FOLLOW);
  // Creating, writing and deleting outside.
  try_create("../outside/new.txt");
  try_create("abs_link/new.txt");
  try_create("rel_link/new.txt");
  try_create("dir/inner_link/new.txt");
  report("mkdir ../outside/newdir", __wasi_path_create_directory(DIR_FD, "../outside/newdir"));
  report("mkdir rel_link/newdir", __wasi_path_create_directory(DIR_FD, "rel_link/newdir"));
  report("unlink ../outside/secret.txt", __wasi_path_unlink_file(DIR_FD, "../outside/secret.txt"));
  report("unlink rel_link/secret.txt", __wasi_path_unlink_file(DIR_FD, "rel_link/secret.txt"));
  report("rmdir ../outside", __wasi_path_remove_directory(DIR_FD, "../outside"));
  report("rmdir rel_link/sub", __wasi_path_remove_directory(DIR_FD, "rel_link/sub"));
  report("times rel_link/secret.txt",
         __wasi_path_filestat_set_times(DIR_FD, FOLLOW, "rel_link/secret.txt", 1, 1,
                                        __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  // Renames and links across the boundary, both ways.
  report("rename dir/file.txt -> ../outside/stolen.txt",
         __wasi_path_rename(DIR_FD, "dir/file.txt", DIR_FD, "../outside/stolen.txt"));
  report("rename ../outside/secret.txt -> got.txt",
         __wasi_path_rename(DIR_FD, "../outside/secret.txt", DIR_FD, "got.txt"));
  report("rename rel_link/secret.txt -> got.txt",
         __wasi_path_rename(DIR_FD, "rel_link/secret.txt", DIR_FD, "got.txt"));
  report("link rel_link/secret.txt -> hard.txt",
         __wasi_path_link(DIR_FD, 0, "rel_link/secret.txt", DIR_FD, "hard.txt"));
  report("link -follow abs_file_link -> hard.txt",
         __wasi_path_link(DIR_FD, FOLLOW, "abs_file_link", DIR_FD, "hard.txt"));
  report("link dir/file.txt -> ../outside/hard.txt",
         __wasi_path_link(DIR_FD, 0, "dir/file.txt", DIR_FD, "../outside/hard.txt"));
  // Symlinks the program makes itself, then tries to use.
  report("symlink /etc -> mine_abs", __wasi_path_symlink("/etc", DIR_FD, "mine_abs"));
  report("symlink ../outside -> mine_rel", __wasi_path_symlink("../outside", DIR_FD, "mine_rel"));
  report("symlink ../../outside -> dir/mine_rel", __wasi_path_symlink("../../outside", DIR_FD, "dir/mine_rel"));
  try_open("mine_rel/secret.txt");
  try_open("dir/mine_rel/secret.txt");
  // Listing the parent.
  try_opendir("..");
  try_opendir("dir/../..");
  try_opendir("rel_link");
  try_opendir(".");  // the sandbox itself: allowed
  return 0;
}
