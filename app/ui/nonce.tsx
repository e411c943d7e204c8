import { createContext, useContext } from "react";

// The CSP nonce of the current response; browsers hide it from the DOM, so it is "" there.
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce() {
  return useContext(NonceContext);
}
