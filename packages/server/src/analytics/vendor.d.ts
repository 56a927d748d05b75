/** wink-sentiment ships no types: the part of its API used here. */
declare module "wink-sentiment" {
  interface WinkSentimentResult {
    /** Sum of the token scores. */
    score: number;
    /** Score normalised to [-5, 5]. */
    normalizedScore: number;
  }
  export default function sentiment(text: string): WinkSentimentResult;
}
