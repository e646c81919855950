import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  // The MSAL and BFF settings come from VITE_ENTRA_SHARE_* variables (scripts/dev.mjs sets them for the emulator).
  envPrefix: 'VITE_ENTRA_SHARE_',
  server: { strictPort: true },
  // main.tsx awaits MSAL's initialisation at the top level.
  build: { target: 'es2022' },
})
