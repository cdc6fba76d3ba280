import type { UploadedFile } from '../../src-main/shared/archive-api';

/** Browser mode can send at most this much per import (the server says the same). */
export const MAX_DROP_BYTES = 64 * 1024 * 1024;

export class DropTooLargeError extends Error {}

interface Dropped {
  path: string;
  file: File;
}

/** Encodes bytes as base64 in chunks (String.fromCharCode on a whole file would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: Dropped[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, file });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches until it returns an empty list.
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
      for (const child of batch) await walk(child, path, out);
    }
  }
}

/**
 * The files of a drop with their paths inside it: folders are walked through the File System entries API where
 * the browser offers it; otherwise (or for loose files) each file goes by its own name.
 */
export async function readDroppedFiles(transfer: DataTransfer): Promise<UploadedFile[]> {
  const dropped: Dropped[] = [];
  const entries = [...transfer.items].map((item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() : null));
  if (entries.length > 0 && entries.every((entry) => entry)) {
    for (const entry of entries) await walk(entry as FileSystemEntry, '', dropped);
  } else {
    for (const file of [...transfer.files]) dropped.push({ path: file.webkitRelativePath || file.name, file });
  }
  const total = dropped.reduce((sum, d) => sum + d.file.size, 0);
  if (total > MAX_DROP_BYTES) throw new DropTooLargeError(`${Math.round(total / 1024 / 1024)} MB`);
  const files: UploadedFile[] = [];
  for (const { path, file } of dropped) files.push({ path, data: toBase64(new Uint8Array(await file.arrayBuffer())) });
  return files;
}
