// Hands a Blob to the browser as a download.

export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; revoke on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
