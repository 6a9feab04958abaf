/** Replace the extension of a path's file name (or add one). */
export function withExtension(path: string, ext: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return (dot > slash + 1 ? path.slice(0, dot) : path) + ext;
}
