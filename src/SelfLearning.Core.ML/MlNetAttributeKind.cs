namespace SelfLearning.ML;

/// <summary>How an ML.NET model type featurizes a case attribute before the host's estimator sees it.</summary>
public enum MlNetAttributeKind
{
    /// <summary>
    /// A category from a small set (a clinic, a channel): one-hot encoded over the values of the training split
    /// (<c>Transforms.Categorical.OneHotEncoding</c>). A value the training split did not hold, and a missing (empty)
    /// value, encode as all zeros.
    /// </summary>
    Categorical = 1,

    /// <summary>
    /// A category from a large or open set (a referrer, a product code): hashed into 2^<see cref="MlNetAttributeColumn.HashBits"/>
    /// one-hot slots (<c>Transforms.Categorical.OneHotHashEncoding</c>), so values unseen in training still get a slot.
    /// A missing (empty) value encodes as all zeros.
    /// </summary>
    HashedCategorical = 2,

    /// <summary>
    /// Free text (a note, a complaint): normalised word and character n-gram counts (<c>Transforms.Text.FeaturizeText</c>).
    /// A missing (empty) value encodes as all zeros.
    /// </summary>
    Text = 3,
}
