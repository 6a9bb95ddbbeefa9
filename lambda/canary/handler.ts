// Placeholder entry so the bundle task has a file; replaced by the canary handler (issue 4).
export {};
